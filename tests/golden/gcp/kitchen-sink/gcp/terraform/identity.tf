resource "google_service_account" "api" {
  account_id   = "run-api"
  display_name = "Cloud Run service api"
  description  = "Runtime identity of the Cloud Run service api (blueprint kitchen-sink)"
}

resource "google_service_account" "front" {
  account_id   = "run-front"
  display_name = "Cloud Run service front"
  description  = "Runtime identity of the Cloud Run service front (blueprint kitchen-sink)"
}

resource "google_service_account" "search" {
  account_id   = "run-search"
  display_name = "Cloud Run service search"
  description  = "Runtime identity of the Cloud Run service search (blueprint kitchen-sink)"
}

resource "google_service_account" "cleanup" {
  account_id   = "run-cleanup"
  display_name = "Cloud Run job cleanup"
  description  = "Runtime identity of the Cloud Run job cleanup (blueprint kitchen-sink)"
}

resource "google_service_account" "trigger__cleanup" {
  account_id   = "trg-cleanup"
  display_name = "Starts the Cloud Run job cleanup"
  description  = "Cloud Scheduler or Eventarc identity that runs the job cleanup (blueprint kitchen-sink)"
}

resource "google_service_account" "indexer" {
  account_id   = "run-indexer"
  display_name = "Cloud Run job indexer"
  description  = "Runtime identity of the Cloud Run job indexer (blueprint kitchen-sink)"
}

resource "google_service_account" "trigger__indexer" {
  account_id   = "trg-indexer"
  display_name = "Starts the Cloud Run job indexer"
  description  = "Cloud Scheduler or Eventarc identity that runs the job indexer (blueprint kitchen-sink)"
}

resource "google_service_account" "thumbnails" {
  account_id   = "run-thumbnails"
  display_name = "Cloud Run job thumbnails"
  description  = "Runtime identity of the Cloud Run job thumbnails (blueprint kitchen-sink)"
}

resource "google_service_account" "trigger__thumbnails" {
  account_id   = "trg-thumbnails"
  display_name = "Starts the Cloud Run job thumbnails"
  description  = "Cloud Scheduler or Eventarc identity that runs the job thumbnails (blueprint kitchen-sink)"
}

resource "google_service_account" "worker_a" {
  account_id   = "run-worker-a"
  display_name = "Cloud Run job worker-a"
  description  = "Runtime identity of the Cloud Run job worker-a (blueprint kitchen-sink)"
}

resource "google_service_account" "trigger__worker_a" {
  account_id   = "trg-worker-a"
  display_name = "Starts the Cloud Run job worker-a"
  description  = "Cloud Scheduler or Eventarc identity that runs the job worker-a (blueprint kitchen-sink)"
}

resource "google_service_account" "worker_b" {
  account_id   = "run-worker-b"
  display_name = "Cloud Run job worker-b"
  description  = "Runtime identity of the Cloud Run job worker-b (blueprint kitchen-sink)"
}

resource "google_service_account" "trigger__worker_b" {
  account_id   = "trg-worker-b"
  display_name = "Starts the Cloud Run job worker-b"
  description  = "Cloud Scheduler or Eventarc identity that runs the job worker-b (blueprint kitchen-sink)"
}

resource "google_service_account" "pubsub__push" {
  account_id   = "pubsub-push"
  display_name = "Pub/Sub push"
  description  = "Signs the OIDC tokens of Pub/Sub push subscriptions to Cloud Run (blueprint kitchen-sink)"
}

data "google_project" "this" {
  project_id = var.project
}
