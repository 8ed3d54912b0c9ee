# Private services access: a range of the VPC reserved for Google's service producers and peered
# with them, so Cloud SQL instances get private IPs in the blueprint's network and no public one.
resource "google_compute_global_address" "core__private_services" {
  name          = "core-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 20
  network       = google_compute_network.core.id
}

resource "google_service_networking_connection" "core" {
  network                 = google_compute_network.core.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.core__private_services.name]
}

# The instances' private IPs by name, so every deployment form connects to the same host.
resource "google_dns_managed_zone" "core__sql" {
  name        = "core-sql"
  dns_name    = "sql.kitchen-sink.internal."
  description = "Cloud SQL private addresses of blueprint kitchen-sink"
  visibility  = "private"
  labels      = merge(var.labels, { "blueprint" = "kitchen-sink" })

  private_visibility_config {
    networks {
      network_url = google_compute_network.core.id
    }
  }
}

resource "google_sql_database_instance" "inventory" {
  #checkov:skip=CKV_GCP_6:connections must be encrypted (ssl_mode ENCRYPTED_ONLY) and log in with IAM database authentication; client certificates would need one per workload that nothing issues
  name                = "inventory"
  database_version    = "MYSQL_8_0"
  region              = var.region
  deletion_protection = false

  settings {
    tier                        = "db-custom-6-23040"
    edition                     = "ENTERPRISE"
    availability_type           = "REGIONAL"
    disk_type                   = "PD_SSD"
    disk_size                   = 20
    disk_autoresize             = true
    deletion_protection_enabled = false
    user_labels                 = merge(var.labels, { "blueprint" = "kitchen-sink" })

    ip_configuration {
      ipv4_enabled                                  = false
      private_network                               = google_compute_network.core.id
      enable_private_path_for_google_cloud_services = true
      ssl_mode                                      = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      start_time                     = "02:00"
      binary_log_enabled             = true
      transaction_log_retention_days = 7

      backup_retention_settings {
        retained_backups = 7
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
      name  = "cloudsql_iam_authentication"
      value = "on"
    }

    database_flags {
      name  = "local_infile"
      value = "off"
    }

    database_flags {
      name  = "skip_show_database"
      value = "on"
    }
  }

  depends_on = [google_service_networking_connection.core]
}

resource "google_sql_database" "inventory" {
  name     = "inventory"
  instance = google_sql_database_instance.inventory.name
}

resource "google_dns_record_set" "inventory__sql" {
  managed_zone = google_dns_managed_zone.core__sql.name
  name         = "inventory.sql.kitchen-sink.internal."
  type         = "A"
  ttl          = 300
  rrdatas      = [google_sql_database_instance.inventory.private_ip_address]
}

# IAM database authentication: the workload logs in as its service account, no password.
resource "google_sql_user" "inventory__iam__api" {
  name     = "run-api"
  instance = google_sql_database_instance.inventory.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}

# Cloud SQL roles exist only on the project: the condition narrows them to this instance.
resource "google_project_iam_member" "inventory__api__client" {
  project = var.project
  role    = "roles/cloudsql.client"
  member  = google_service_account.api.member

  condition {
    title      = "only inventory"
    expression = "resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.inventory.name}\""
  }
}

# Cloud SQL roles exist only on the project: the condition narrows them to this instance.
resource "google_project_iam_member" "inventory__api__instanceuser" {
  project = var.project
  role    = "roles/cloudsql.instanceUser"
  member  = google_service_account.api.member

  condition {
    title      = "only inventory"
    expression = "resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.inventory.name}\""
  }
}

resource "google_sql_database_instance" "ledger" {
  #checkov:skip=CKV_GCP_6:connections must be encrypted (ssl_mode ENCRYPTED_ONLY) and log in with IAM database authentication; client certificates would need one per workload that nothing issues
  #checkov:skip=CKV_GCP_79:POSTGRES_15 is the version the blueprint declares; a major upgrade is a migration its owners plan, not a render
  name                = "ledger"
  database_version    = "POSTGRES_15"
  region              = var.region
  deletion_protection = true

  settings {
    tier                        = "db-custom-4-15360"
    edition                     = "ENTERPRISE"
    availability_type           = "ZONAL"
    disk_type                   = "PD_SSD"
    disk_size                   = 100
    disk_autoresize             = true
    deletion_protection_enabled = true
    user_labels                 = merge(var.labels, { "blueprint" = "kitchen-sink" })

    ip_configuration {
      ipv4_enabled                                  = false
      private_network                               = google_compute_network.core.id
      enable_private_path_for_google_cloud_services = true
      ssl_mode                                      = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      start_time                     = "02:00"
      point_in_time_recovery_enabled = true
      transaction_log_retention_days = 7

      backup_retention_settings {
        retained_backups = 7
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

  depends_on = [google_service_networking_connection.core]
}

resource "google_sql_database" "ledger" {
  name     = "ledger"
  instance = google_sql_database_instance.ledger.name
}

resource "google_dns_record_set" "ledger__sql" {
  managed_zone = google_dns_managed_zone.core__sql.name
  name         = "ledger.sql.kitchen-sink.internal."
  type         = "A"
  ttl          = 300
  rrdatas      = [google_sql_database_instance.ledger.private_ip_address]
}

# IAM database authentication: the workload logs in as its service account, no password.
resource "google_sql_user" "ledger__iam__api" {
  name     = "run-api@sink-project.iam"
  instance = google_sql_database_instance.ledger.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}

# IAM database authentication: the workload logs in as its service account, no password.
resource "google_sql_user" "ledger__iam__cleanup" {
  name     = "run-cleanup@sink-project.iam"
  instance = google_sql_database_instance.ledger.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}

# Cloud SQL roles exist only on the project: the condition narrows them to this instance.
resource "google_project_iam_member" "ledger__api__client" {
  project = var.project
  role    = "roles/cloudsql.client"
  member  = google_service_account.api.member

  condition {
    title      = "only ledger"
    expression = "resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.ledger.name}\""
  }
}

# Cloud SQL roles exist only on the project: the condition narrows them to this instance.
resource "google_project_iam_member" "ledger__cleanup__client" {
  project = var.project
  role    = "roles/cloudsql.client"
  member  = google_service_account.cleanup.member

  condition {
    title      = "only ledger"
    expression = "resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.ledger.name}\""
  }
}

# Cloud SQL roles exist only on the project: the condition narrows them to this instance.
resource "google_project_iam_member" "ledger__api__instanceuser" {
  project = var.project
  role    = "roles/cloudsql.instanceUser"
  member  = google_service_account.api.member

  condition {
    title      = "only ledger"
    expression = "resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.ledger.name}\""
  }
}

# Cloud SQL roles exist only on the project: the condition narrows them to this instance.
resource "google_project_iam_member" "ledger__cleanup__instanceuser" {
  project = var.project
  role    = "roles/cloudsql.instanceUser"
  member  = google_service_account.cleanup.member

  condition {
    title      = "only ledger"
    expression = "resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.ledger.name}\""
  }
}
