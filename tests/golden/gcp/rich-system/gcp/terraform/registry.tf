resource "google_artifact_registry_repository" "containers" {
  #checkov:skip=CKV_GCP_84:Google-managed encryption keys; the blueprint models no KMS key ring, and a customer-managed key would need one the team owns and rotates
  repository_id = "containers"
  location      = var.region
  format        = "DOCKER"
  description   = "Images of the shop"
  labels        = merge(var.labels, { "blueprint" = "orders-system" })

  docker_config {
    # A tag always names the image it was first pushed with, as the blueprint's pins assume.
    immutable_tags = true
  }

  cleanup_policy_dry_run = false

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 20
    }
  }

  cleanup_policies {
    id     = "delete-old-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = "2592000s"
    }
  }
}

resource "google_artifact_registry_repository_iam_member" "containers__api" {
  project    = google_artifact_registry_repository.containers.project
  location   = google_artifact_registry_repository.containers.location
  repository = google_artifact_registry_repository.containers.name
  role       = "roles/artifactregistry.reader"
  member     = google_service_account.api.member
}

resource "google_artifact_registry_repository_iam_member" "containers__web" {
  project    = google_artifact_registry_repository.containers.project
  location   = google_artifact_registry_repository.containers.location
  repository = google_artifact_registry_repository.containers.name
  role       = "roles/artifactregistry.reader"
  member     = google_service_account.web.member
}
