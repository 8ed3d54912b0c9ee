resource "google_cloud_run_v2_service" "hello" {
  name                = "hello"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "hello-cloud-run" })

  template {
    service_account                  = google_service_account.hello.email
    max_instance_request_concurrency = 80
    timeout                          = "300s"
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"

    scaling {
      min_instance_count = 1
      max_instance_count = 10
    }

    containers {
      image = "europe-west2-docker.pkg.dev/example-project/containers/hello:1.0.0"

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
    google_artifact_registry_repository_iam_member.containers__hello,
  ]
}

resource "google_cloud_run_v2_service_iam_member" "hello__public" {
  # Public by design: the blueprint routes a public ingress to this service.
  project  = google_cloud_run_v2_service.hello.project
  location = google_cloud_run_v2_service.hello.location
  name     = google_cloud_run_v2_service.hello.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}
