resource "google_cloud_run_v2_service" "api" {
  name                = "api"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "orders-system" })

  template {
    service_account                  = google_service_account.api.email
    max_instance_request_concurrency = 80
    timeout                          = "300s"
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"

    scaling {
      min_instance_count = 0
      max_instance_count = 5
    }

    vpc_access {
      egress = "ALL_TRAFFIC"
      network_interfaces {
        network    = google_compute_network.core.id
        subnetwork = google_compute_subnetwork.run_a.id
      }
    }

    containers {
      image = "europe-west2-docker.pkg.dev/orders-project/containers/shop/api:2.3.1"

      ports {
        name           = "http1"
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = "2"
          memory = "1024Mi"
        }
      }

      env {
        name = "DB_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.db_password.secret_id
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
          port = 9090
        }
      }

      liveness_probe {
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
        http_get {
          path = "/ready"
          port = 9090
        }
      }
    }
  }

  # Cloud Run checks at deploy time that the identity can read what the revision needs.
  depends_on = [
    google_artifact_registry_repository_iam_member.containers__api,
    google_secret_manager_secret_iam_member.db_password__api,
  ]
}

resource "google_cloud_run_v2_service_iam_member" "api__web" {
  project  = google_cloud_run_v2_service.api.project
  location = google_cloud_run_v2_service.api.location
  name     = google_cloud_run_v2_service.api.name
  role     = "roles/run.invoker"
  member   = google_service_account.web.member
}

resource "google_cloud_run_v2_service" "audit" {
  name                = "audit"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "orders-system" })

  template {
    service_account                  = google_service_account.audit.email
    max_instance_request_concurrency = 1
    timeout                          = "300s"
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN1"

    scaling {
      min_instance_count = 2
      max_instance_count = 2
    }

    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.core.id
        subnetwork = google_compute_subnetwork.edge_a.id
      }
    }

    containers {
      image = "docker.io/library/busybox:1.36"

      ports {
        name           = "http1"
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = "250m"
          memory = "512Mi"
        }
      }
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "audit__api" {
  project  = google_cloud_run_v2_service.audit.project
  location = google_cloud_run_v2_service.audit.location
  name     = google_cloud_run_v2_service.audit.name
  role     = "roles/run.invoker"
  member   = google_service_account.api.member
}

resource "google_cloud_run_v2_service" "web" {
  name                = "web"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = var.deletion_protection
  description         = "The storefront"
  labels              = merge(var.labels, { "blueprint" = "orders-system" })

  template {
    service_account                  = google_service_account.web.email
    max_instance_request_concurrency = 1
    timeout                          = "60s"
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN1"

    scaling {
      min_instance_count = 1
      max_instance_count = 1
    }

    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.core.id
        subnetwork = google_compute_subnetwork.run_a.id
      }
    }

    containers {
      image = "europe-west2-docker.pkg.dev/orders-project/containers/shop/web@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"

      ports {
        name           = "http1"
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = "500m"
          memory = "256Mi"
        }
      }

      env {
        name  = "FEATURE_FLAG"
        value = "yes"
      }

      env {
        name  = "LOG_LEVEL"
        value = "info"
      }

      startup_probe {
        period_seconds    = 80
        timeout_seconds   = 10
        failure_threshold = 3
        http_get {
          path = "/healthz"
          port = 8080
        }
      }

      liveness_probe {
        period_seconds    = 300
        timeout_seconds   = 10
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
    google_artifact_registry_repository_iam_member.containers__web,
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
