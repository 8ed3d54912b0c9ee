resource "google_service_account" "orders" {
  account_id   = "run-orders"
  display_name = "Cloud Run service orders"
  description  = "Runtime identity of the Cloud Run service orders (blueprint gcp-shop)"
}

resource "google_service_account" "web" {
  account_id   = "run-web"
  display_name = "Cloud Run service web"
  description  = "Runtime identity of the Cloud Run service web (blueprint gcp-shop)"
}

resource "google_service_account" "fulfil" {
  account_id   = "run-fulfil"
  display_name = "Cloud Run job fulfil"
  description  = "Runtime identity of the Cloud Run job fulfil (blueprint gcp-shop)"
}

resource "google_service_account" "trigger__fulfil" {
  account_id   = "trg-fulfil"
  display_name = "Starts the Cloud Run job fulfil"
  description  = "Cloud Scheduler or Eventarc identity that runs the job fulfil (blueprint gcp-shop)"
}

resource "google_service_account" "nightly_report" {
  account_id   = "run-nightly-report"
  display_name = "Cloud Run job nightly-report"
  description  = "Runtime identity of the Cloud Run job nightly-report (blueprint gcp-shop)"
}

resource "google_service_account" "trigger__nightly_report" {
  account_id   = "trg-nightly-report"
  display_name = "Starts the Cloud Run job nightly-report"
  description  = "Cloud Scheduler or Eventarc identity that runs the job nightly-report (blueprint gcp-shop)"
}

data "google_project" "this" {
  project_id = var.project
}
