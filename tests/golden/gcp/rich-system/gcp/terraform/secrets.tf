# The secret's container only: its value is added out of band (gcloud secrets versions add)
# and never appears in the blueprint, this code or the Terraform state.
resource "google_secret_manager_secret" "db_password" {
  secret_id = "db-password"
  labels    = merge(var.labels, { "blueprint" = "orders-system", "blueprint-store" = "vault" })

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "db_password__api" {
  project   = google_secret_manager_secret.db_password.project
  secret_id = google_secret_manager_secret.db_password.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.api.member
}
