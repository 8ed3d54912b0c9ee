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
