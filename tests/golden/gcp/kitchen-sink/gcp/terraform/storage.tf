resource "google_storage_bucket" "uploads" {
  #checkov:skip=CKV_GCP_62:access is audited by Cloud Audit Logs (data access logs); usage logs need a second bucket the blueprint does not model
  name                        = "sink-project-uploads"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = merge(var.labels, { "blueprint" = "kitchen-sink", "blueprint-resource" = "uploads" })

  versioning {
    enabled = true
  }

  soft_delete_policy {
    retention_duration_seconds = 604800
  }
}

resource "google_storage_bucket_iam_member" "uploads__api__objectcreator" {
  bucket = google_storage_bucket.uploads.name
  role   = "roles/storage.objectCreator"
  member = google_service_account.api.member
}

resource "google_storage_bucket_iam_member" "uploads__thumbnails__objectcreator" {
  bucket = google_storage_bucket.uploads.name
  role   = "roles/storage.objectCreator"
  member = google_service_account.thumbnails.member
}

resource "google_storage_bucket_iam_member" "uploads__thumbnails__objectviewer" {
  bucket = google_storage_bucket.uploads.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.thumbnails.member
}
