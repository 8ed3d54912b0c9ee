# The secret's container only: its value is added out of band (gcloud secrets versions add)
# and never appears in the blueprint, this code or the Terraform state.
resource "google_secret_manager_secret" "payment_api_key" {
  secret_id = "payment-api-key"
  labels    = merge(var.labels, { "blueprint" = "gcp-shop", "blueprint-store" = "vault" })

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "payment_api_key__orders" {
  project   = google_secret_manager_secret.payment_api_key.project
  secret_id = google_secret_manager_secret.payment_api_key.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.orders.member
}
