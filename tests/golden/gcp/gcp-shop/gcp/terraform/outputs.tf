output "orders_url" {
  description = "The URL of the Cloud Run service orders."
  value       = google_cloud_run_v2_service.orders.uri
}

output "orders_service_account" {
  description = "The runtime identity of the Cloud Run service orders."
  value       = google_service_account.orders.email
}

output "web_url" {
  description = "The URL of the Cloud Run service web."
  value       = google_cloud_run_v2_service.web.uri
}

output "web_service_account" {
  description = "The runtime identity of the Cloud Run service web."
  value       = google_service_account.web.email
}

output "images_repository" {
  description = "Where images of the repository images are pushed."
  value       = "${google_artifact_registry_repository.images.location}-docker.pkg.dev/${google_artifact_registry_repository.images.project}/${google_artifact_registry_repository.images.repository_id}"
}

output "db_host" {
  description = "The private name workloads connect to Cloud SQL db on."
  value       = "db.sql.gcp-shop.internal"
}

output "db_connection_name" {
  description = "The connection name of Cloud SQL db (Cloud SQL connectors)."
  value       = google_sql_database_instance.db.connection_name
}

output "storefront_address" {
  description = "Point the A record of shop.example.com here; the managed certificate is issued once it resolves."
  value       = google_compute_global_address.storefront.address
}
