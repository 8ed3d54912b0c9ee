# The secret's container only: its value is added out of band (gcloud secrets versions add)
# and never appears in the blueprint, this code or the Terraform state.
resource "google_secret_manager_secret" "admin_token" {
  secret_id = "admin_token"
  labels    = merge(var.labels, { "blueprint" = "kitchen-sink", "blueprint-store" = "vault" })

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "admin_token__cleanup" {
  project   = google_secret_manager_secret.admin_token.project
  secret_id = google_secret_manager_secret.admin_token.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.cleanup.member
}
