resource "google_cloud_run_v2_service" "orders" {
  name                = "orders"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  deletion_protection = var.deletion_protection
  description         = "The orders API"
  labels              = merge(var.labels, { "blueprint" = "gcp-shop" })

  template {
    service_account                  = google_service_account.orders.email
    max_instance_request_concurrency = 80
    timeout                          = "300s"
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"

    scaling {
      min_instance_count = 2
      max_instance_count = 5
    }

    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.shop.id
        subnetwork = google_compute_subnetwork.run.id
      }
    }

    containers {
      image = "europe-west2-docker.pkg.dev/shop-project/images/shop/orders:2.1.0"

      ports {
        name           = "http1"
        container_port = 9000
      }

      resources {
        limits = {
          cpu    = "1"
          memory = "1024Mi"
        }
      }

      env {
        name  = "DATABASE_HOST"
        value = trimsuffix(google_dns_record_set.db__sql.name, ".")
      }

      env {
        name  = "DATABASE_NAME"
        value = google_sql_database.db.name
      }

      env {
        name  = "DATABASE_PORT"
        value = "5432"
      }

      env {
        name  = "DATABASE_USER"
        value = google_sql_user.db__iam__orders.name
      }

      env {
        name  = "ORDER_TOPIC"
        value = google_pubsub_topic.order_events.name
      }

      env {
        name = "PAYMENT_API_KEY"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.payment_api_key.secret_id
            version = "latest"
          }
        }
      }

      startup_probe {
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
        http_get {
          path = "/ready"
          port = 9000
        }
      }

      liveness_probe {
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
        http_get {
          path = "/ready"
          port = 9000
        }
      }
    }
  }

  # Cloud Run checks at deploy time that the identity can read what the revision needs.
  depends_on = [
    google_artifact_registry_repository_iam_member.images__orders,
    google_secret_manager_secret_iam_member.payment_api_key__orders,
  ]
}

resource "google_cloud_run_v2_service_iam_member" "orders__web" {
  project  = google_cloud_run_v2_service.orders.project
  location = google_cloud_run_v2_service.orders.location
  name     = google_cloud_run_v2_service.orders.name
  role     = "roles/run.invoker"
  member   = google_service_account.web.member
}

resource "google_cloud_run_v2_service" "web" {
  name                = "web"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
  deletion_protection = var.deletion_protection
  description         = "The storefront"
  labels              = merge(var.labels, { "blueprint" = "gcp-shop" })

  template {
    service_account                  = google_service_account.web.email
    max_instance_request_concurrency = 80
    timeout                          = "300s"
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"

    scaling {
      min_instance_count = 2
      max_instance_count = 10
    }

    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.shop.id
        subnetwork = google_compute_subnetwork.run.id
      }
    }

    containers {
      image = "europe-west2-docker.pkg.dev/shop-project/images/shop/web:1.4.0"

      ports {
        name           = "http1"
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = "1"
          memory = "512Mi"
        }
      }

      env {
        name  = "LOG_LEVEL"
        value = "info"
      }

      startup_probe {
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
        http_get {
          path = "/healthz"
          port = 8080
        }
      }

      liveness_probe {
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
        http_get {
          path = "/healthz"
          port = 8080
        }
      }
    }
  }

  # Cloud Run checks at deploy time that the identity can read what the revision needs.
  depends_on = [
    google_artifact_registry_repository_iam_member.images__web,
  ]
}

resource "google_cloud_run_v2_service_iam_member" "web__public" {
  # Public by design: the blueprint routes a public ingress to this service.
  project  = google_cloud_run_v2_service.web.project
  location = google_cloud_run_v2_service.web.location
  name     = google_cloud_run_v2_service.web.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}
