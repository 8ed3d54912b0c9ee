output "api_url" {
  description = "The URL of the Cloud Run service api."
  value       = google_cloud_run_v2_service.api.uri
}

output "api_service_account" {
  description = "The runtime identity of the Cloud Run service api."
  value       = google_service_account.api.email
}

output "audit_url" {
  description = "The URL of the Cloud Run service audit."
  value       = google_cloud_run_v2_service.audit.uri
}

output "audit_service_account" {
  description = "The runtime identity of the Cloud Run service audit."
  value       = google_service_account.audit.email
}

output "web_url" {
  description = "The URL of the Cloud Run service web."
  value       = google_cloud_run_v2_service.web.uri
}

output "web_service_account" {
  description = "The runtime identity of the Cloud Run service web."
  value       = google_service_account.web.email
}

output "containers_repository" {
  description = "Where images of the repository containers are pushed."
  value       = "${google_artifact_registry_repository.containers.location}-docker.pkg.dev/${google_artifact_registry_repository.containers.project}/${google_artifact_registry_repository.containers.repository_id}"
}
