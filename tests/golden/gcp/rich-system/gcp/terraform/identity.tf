resource "google_service_account" "api" {
  account_id   = "run-api"
  display_name = "Cloud Run service api"
  description  = "Runtime identity of the Cloud Run service api (blueprint orders-system)"
}

resource "google_service_account" "audit" {
  account_id   = "run-audit"
  display_name = "Cloud Run service audit"
  description  = "Runtime identity of the Cloud Run service audit (blueprint orders-system)"
}

resource "google_service_account" "web" {
  account_id   = "run-web"
  display_name = "Cloud Run service web"
  description  = "Runtime identity of the Cloud Run service web (blueprint orders-system)"
}
