# Private services access: a range of the VPC reserved for Google's service producers and peered
# with them, so Cloud SQL instances get private IPs in the blueprint's network and no public one.
resource "google_compute_global_address" "shop__private_services" {
  name          = "shop-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 20
  network       = google_compute_network.shop.id
}

resource "google_service_networking_connection" "shop" {
  network                 = google_compute_network.shop.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.shop__private_services.name]
}

# The instances' private IPs by name, so every deployment form connects to the same host.
resource "google_dns_managed_zone" "shop__sql" {
  name        = "shop-sql"
  dns_name    = "sql.gcp-shop.internal."
  description = "Cloud SQL private addresses of blueprint gcp-shop"
  visibility  = "private"
  labels      = merge(var.labels, { "blueprint" = "gcp-shop" })

  private_visibility_config {
    networks {
      network_url = google_compute_network.shop.id
    }
  }
}

resource "google_sql_database_instance" "db" {
  #checkov:skip=CKV_GCP_6:connections must be encrypted (ssl_mode ENCRYPTED_ONLY) and log in with IAM database authentication; client certificates would need one per workload that nothing issues
  #checkov:skip=CKV_GCP_79:POSTGRES_16 is the version the blueprint declares; a major upgrade is a migration its owners plan, not a render
  name                = "db"
  database_version    = "POSTGRES_16"
  region              = var.region
  deletion_protection = true

  settings {
    tier                        = "db-custom-2-7680"
    edition                     = "ENTERPRISE"
    availability_type           = "REGIONAL"
    disk_type                   = "PD_SSD"
    disk_size                   = 20
    disk_autoresize             = true
    deletion_protection_enabled = true
    user_labels                 = merge(var.labels, { "blueprint" = "gcp-shop" })

    ip_configuration {
      ipv4_enabled                                  = false
      private_network                               = google_compute_network.shop.id
      enable_private_path_for_google_cloud_services = true
      ssl_mode                                      = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      start_time                     = "02:00"
      point_in_time_recovery_enabled = true
      transaction_log_retention_days = 7

      backup_retention_settings {
        retained_backups = 14
        retention_unit   = "COUNT"
      }
    }

    maintenance_window {
      day          = 7
      hour         = 3
      update_track = "stable"
    }

    insights_config {
      query_insights_enabled  = true
      record_application_tags = true
      record_client_address   = false
    }

    database_flags {
      name  = "cloudsql.iam_authentication"
      value = "on"
    }

    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }

    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }

    database_flags {
      name  = "log_connections"
      value = "on"
    }

    database_flags {
      name  = "log_disconnections"
      value = "on"
    }

    database_flags {
      name  = "log_duration"
      value = "on"
    }

    database_flags {
      name  = "log_hostname"
      value = "on"
    }

    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }

    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }

    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }

    database_flags {
      name  = "log_min_messages"
      value = "warning"
    }

    database_flags {
      name  = "log_statement"
      value = "ddl"
    }

    database_flags {
      name  = "log_temp_files"
      value = "0"
    }
  }

  depends_on = [google_service_networking_connection.shop]
}

resource "google_sql_database" "db" {
  name     = "db"
  instance = google_sql_database_instance.db.name
}

resource "google_dns_record_set" "db__sql" {
  managed_zone = google_dns_managed_zone.shop__sql.name
  name         = "db.sql.gcp-shop.internal."
  type         = "A"
  ttl          = 300
  rrdatas      = [google_sql_database_instance.db.private_ip_address]
}

# IAM database authentication: the workload logs in as its service account, no password.
resource "google_sql_user" "db__iam__fulfil" {
  name     = "run-fulfil@shop-project.iam"
  instance = google_sql_database_instance.db.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}

# IAM database authentication: the workload logs in as its service account, no password.
resource "google_sql_user" "db__iam__nightly_report" {
  name     = "run-nightly-report@shop-project.iam"
  instance = google_sql_database_instance.db.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}

# IAM database authentication: the workload logs in as its service account, no password.
resource "google_sql_user" "db__iam__orders" {
  name     = "run-orders@shop-project.iam"
  instance = google_sql_database_instance.db.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}

# Cloud SQL roles exist only on the project: the condition narrows them to this instance.
resource "google_project_iam_member" "db__fulfil__client" {
  project = var.project
  role    = "roles/cloudsql.client"
  member  = google_service_account.fulfil.member

  condition {
    title      = "only db"
    expression = "resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.db.name}\""
  }
}

# Cloud SQL roles exist only on the project: the condition narrows them to this instance.
resource "google_project_iam_member" "db__nightly_report__client" {
  project = var.project
  role    = "roles/cloudsql.client"
  member  = google_service_account.nightly_report.member

  condition {
    title      = "only db"
    expression = "resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.db.name}\""
  }
}

# Cloud SQL roles exist only on the project: the condition narrows them to this instance.
resource "google_project_iam_member" "db__orders__client" {
  project = var.project
  role    = "roles/cloudsql.client"
  member  = google_service_account.orders.member

  condition {
    title      = "only db"
    expression = "resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.db.name}\""
  }
}

# Cloud SQL roles exist only on the project: the condition narrows them to this instance.
resource "google_project_iam_member" "db__fulfil__instanceuser" {
  project = var.project
  role    = "roles/cloudsql.instanceUser"
  member  = google_service_account.fulfil.member

  condition {
    title      = "only db"
    expression = "resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.db.name}\""
  }
}

# Cloud SQL roles exist only on the project: the condition narrows them to this instance.
resource "google_project_iam_member" "db__nightly_report__instanceuser" {
  project = var.project
  role    = "roles/cloudsql.instanceUser"
  member  = google_service_account.nightly_report.member

  condition {
    title      = "only db"
    expression = "resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.db.name}\""
  }
}

# Cloud SQL roles exist only on the project: the condition narrows them to this instance.
resource "google_project_iam_member" "db__orders__instanceuser" {
  project = var.project
  role    = "roles/cloudsql.instanceUser"
  member  = google_service_account.orders.member

  condition {
    title      = "only db"
    expression = "resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.db.name}\""
  }
}
