resource "google_cloud_run_v2_service" "api" {
  name                = "api"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "kitchen-sink" })

  template {
    service_account                  = google_service_account.api.email
    max_instance_request_concurrency = 80
    timeout                          = "300s"
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"

    scaling {
      min_instance_count = 1
      max_instance_count = 1
    }

    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.core.id
        subnetwork = google_compute_subnetwork.direct.id
      }
    }

    containers {
      image = "europe-west1-docker.pkg.dev/sink-project/images/sink/api:3.0.0"

      ports {
        name           = "http1"
        container_port = 9000
      }

      resources {
        limits = {
          cpu    = "2"
          memory = "2048Mi"
        }
      }

      env {
        name  = "INVENTORY_PORT"
        value = "3306"
      }

      env {
        name  = "INVENTORY_USER"
        value = google_sql_user.inventory__iam__api.name
      }

      env {
        name  = "UPLOADS_BUCKET"
        value = google_storage_bucket.uploads.name
      }

      env {
        name  = "WORK_QUEUE"
        value = google_pubsub_topic.work.id
      }
    }
  }

  # Cloud Run checks at deploy time that the identity can read what the revision needs.
  depends_on = [
    google_artifact_registry_repository_iam_member.images__api,
  ]
}

resource "google_cloud_run_v2_service_iam_member" "api__public" {
  # Public by design: the blueprint routes a public ingress to this service.
  project  = google_cloud_run_v2_service.api.project
  location = google_cloud_run_v2_service.api.location
  name     = google_cloud_run_v2_service.api.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_service_iam_member" "api__front" {
  project  = google_cloud_run_v2_service.api.project
  location = google_cloud_run_v2_service.api.location
  name     = google_cloud_run_v2_service.api.name
  role     = "roles/run.invoker"
  member   = google_service_account.front.member
}

resource "google_cloud_run_v2_service" "front" {
  name                = "front"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "kitchen-sink" })

  template {
    service_account                  = google_service_account.front.email
    max_instance_request_concurrency = 1
    timeout                          = "300s"
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN1"

    scaling {
      min_instance_count = 1
      max_instance_count = 1
    }

    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.core.id
        subnetwork = google_compute_subnetwork.apps.id
      }
    }

    containers {
      image = "europe-west1-docker.pkg.dev/sink-project/images/sink/front:3.0.0"

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
    google_artifact_registry_repository_iam_member.images__front,
  ]
}

resource "google_cloud_run_v2_service_iam_member" "front__public" {
  # Public by design: the blueprint routes a public ingress to this service.
  project  = google_cloud_run_v2_service.front.project
  location = google_cloud_run_v2_service.front.location
  name     = google_cloud_run_v2_service.front.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_service" "search" {
  name                = "search"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "kitchen-sink" })

  template {
    service_account                  = google_service_account.search.email
    max_instance_request_concurrency = 1
    timeout                          = "300s"
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN1"

    scaling {
      min_instance_count = 1
      max_instance_count = 1
    }

    vpc_access {
      egress = "ALL_TRAFFIC"
      network_interfaces {
        network    = google_compute_network.core.id
        subnetwork = google_compute_subnetwork.apps.id
      }
    }

    containers {
      image = "docker.io/sink/search:1.2"

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

resource "google_cloud_run_v2_service_iam_member" "search__api" {
  project  = google_cloud_run_v2_service.search.project
  location = google_cloud_run_v2_service.search.location
  name     = google_cloud_run_v2_service.search.name
  role     = "roles/run.invoker"
  member   = google_service_account.api.member
}

resource "google_cloud_run_v2_service_iam_member" "search__front" {
  project  = google_cloud_run_v2_service.search.project
  location = google_cloud_run_v2_service.search.location
  name     = google_cloud_run_v2_service.search.name
  role     = "roles/run.invoker"
  member   = google_service_account.front.member
}

resource "google_cloud_run_v2_service_iam_member" "search__pubsub__push" {
  project  = google_cloud_run_v2_service.search.project
  location = google_cloud_run_v2_service.search.location
  name     = google_cloud_run_v2_service.search.name
  role     = "roles/run.invoker"
  member   = google_service_account.pubsub__push.member
}
