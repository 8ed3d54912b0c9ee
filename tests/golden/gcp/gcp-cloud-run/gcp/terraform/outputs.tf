output "hello_url" {
  description = "The URL of the Cloud Run service hello."
  value       = google_cloud_run_v2_service.hello.uri
}

output "hello_service_account" {
  description = "The runtime identity of the Cloud Run service hello."
  value       = google_service_account.hello.email
}

output "containers_repository" {
  description = "Where images of the repository containers are pushed."
  value       = "${google_artifact_registry_repository.containers.location}-docker.pkg.dev/${google_artifact_registry_repository.containers.project}/${google_artifact_registry_repository.containers.repository_id}"
}
