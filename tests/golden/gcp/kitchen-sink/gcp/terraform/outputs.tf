output "api_url" {
  description = "The URL of the Cloud Run service api."
  value       = google_cloud_run_v2_service.api.uri
}

output "api_service_account" {
  description = "The runtime identity of the Cloud Run service api."
  value       = google_service_account.api.email
}

output "front_url" {
  description = "The URL of the Cloud Run service front."
  value       = google_cloud_run_v2_service.front.uri
}

output "front_service_account" {
  description = "The runtime identity of the Cloud Run service front."
  value       = google_service_account.front.email
}

output "search_url" {
  description = "The URL of the Cloud Run service search."
  value       = google_cloud_run_v2_service.search.uri
}

output "search_service_account" {
  description = "The runtime identity of the Cloud Run service search."
  value       = google_service_account.search.email
}

output "images_repository" {
  description = "Where images of the repository images are pushed."
  value       = "${google_artifact_registry_repository.images.location}-docker.pkg.dev/${google_artifact_registry_repository.images.project}/${google_artifact_registry_repository.images.repository_id}"
}

output "inventory_host" {
  description = "The private name workloads connect to Cloud SQL inventory on."
  value       = "inventory.sql.kitchen-sink.internal"
}

output "inventory_connection_name" {
  description = "The connection name of Cloud SQL inventory (Cloud SQL connectors)."
  value       = google_sql_database_instance.inventory.connection_name
}

output "ledger_host" {
  description = "The private name workloads connect to Cloud SQL ledger on."
  value       = "ledger.sql.kitchen-sink.internal"
}

output "ledger_connection_name" {
  description = "The connection name of Cloud SQL ledger (Cloud SQL connectors)."
  value       = google_sql_database_instance.ledger.connection_name
}

output "site_address" {
  description = "Point the A record of www.sink.example.com here; the managed certificate is issued once it resolves."
  value       = google_compute_global_address.site.address
}
