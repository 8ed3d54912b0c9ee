resource "google_service_account" "hello" {
  account_id   = "run-hello"
  display_name = "Cloud Run service hello"
  description  = "Runtime identity of the Cloud Run service hello (blueprint hello-cloud-run)"
}
