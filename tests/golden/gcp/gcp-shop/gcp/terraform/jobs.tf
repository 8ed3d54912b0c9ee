resource "google_cloud_run_v2_job" "fulfil" {
  name                = "fulfil"
  location            = var.region
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "gcp-shop" })
  annotations         = { "blueprint/description" = "Ships each order placed" }

  template {
    task_count = 1

    template {
      service_account = google_service_account.fulfil.email
      timeout         = "600s"
      max_retries     = 5

      vpc_access {
        egress = "PRIVATE_RANGES_ONLY"
        network_interfaces {
          network    = google_compute_network.shop.id
          subnetwork = google_compute_subnetwork.run.id
        }
      }

      containers {
        image = "europe-west2-docker.pkg.dev/shop-project/images/shop/fulfil:1.0.3"

        resources {
          limits = {
            cpu    = "1"
            memory = "512Mi"
          }
        }

        env {
          name  = "DATABASE_HOST"
          value = trimsuffix(google_dns_record_set.db__sql.name, ".")
        }

        env {
          name  = "DATABASE_USER"
          value = google_sql_user.db__iam__fulfil.name
        }
      }
    }
  }

  # Cloud Run checks at deploy time that the identity can read what the execution needs.
  depends_on = [
    google_artifact_registry_repository_iam_member.images__fulfil,
  ]
}

resource "google_cloud_run_v2_job_iam_member" "fulfil__trigger__fulfil" {
  project  = google_cloud_run_v2_job.fulfil.project
  location = google_cloud_run_v2_job.fulfil.location
  name     = google_cloud_run_v2_job.fulfil.name
  role     = "roles/run.invoker"
  member   = google_service_account.trigger__fulfil.member
}

# Eventarc cannot start a job itself: it starts this workflow, which runs the job.
resource "google_workflows_workflow" "fulfil" {
  name            = "run-fulfil"
  region          = var.region
  description     = "Runs the Cloud Run job fulfil for each event"
  service_account = google_service_account.trigger__fulfil.id
  call_log_level  = "LOG_ERRORS_ONLY"
  labels          = merge(var.labels, { "blueprint" = "gcp-shop" })
  source_contents = <<-EOT
    main:
      params: [event]
      steps:
        - run:
            call: http.post
            args:
              url: https://run.googleapis.com/v2/${google_cloud_run_v2_job.fulfil.id}:run
              auth:
                type: OAuth2
            result: execution
        - done:
            return: $${execution.body.metadata.name}
  EOT
}

resource "google_eventarc_trigger" "fulfil" {
  name            = "fulfil"
  location        = var.region
  service_account = google_service_account.trigger__fulfil.email
  labels          = merge(var.labels, { "blueprint" = "gcp-shop" })

  matching_criteria {
    attribute = "type"
    value     = "google.cloud.pubsub.topic.v1.messagePublished"
  }

  transport {
    pubsub {
      topic = google_pubsub_topic.order_events.id
    }
  }

  destination {
    workflow = google_workflows_workflow.fulfil.id
  }

  depends_on = [
    google_project_iam_member.trigger__fulfil__event_receiver,
    google_project_iam_member.trigger__fulfil__workflows_invoker,
  ]
}

# Eventarc delivers events as this identity (project-wide: the role has no narrower scope).
resource "google_project_iam_member" "trigger__fulfil__event_receiver" {
  project = var.project
  role    = "roles/eventarc.eventReceiver"
  member  = google_service_account.trigger__fulfil.member
}

resource "google_project_iam_member" "trigger__fulfil__workflows_invoker" {
  project = var.project
  role    = "roles/workflows.invoker"
  member  = google_service_account.trigger__fulfil.member

  condition {
    title      = "only run-fulfil"
    expression = "resource.name == \"${google_workflows_workflow.fulfil.id}\""
  }
}

resource "google_cloud_run_v2_job" "nightly_report" {
  name                = "nightly-report"
  location            = var.region
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "gcp-shop" })
  annotations         = { "blueprint/description" = "The sales report of the day" }

  template {
    task_count = 1

    template {
      service_account = google_service_account.nightly_report.email
      timeout         = "600s"
      max_retries     = 3

      vpc_access {
        egress = "PRIVATE_RANGES_ONLY"
        network_interfaces {
          network    = google_compute_network.shop.id
          subnetwork = google_compute_subnetwork.run.id
        }
      }

      containers {
        image = "europe-west2-docker.pkg.dev/shop-project/images/shop/report:1.0.0"

        resources {
          limits = {
            cpu    = "1"
            memory = "512Mi"
          }
        }
      }
    }
  }

  # Cloud Run checks at deploy time that the identity can read what the execution needs.
  depends_on = [
    google_artifact_registry_repository_iam_member.images__nightly_report,
  ]
}

resource "google_cloud_run_v2_job_iam_member" "nightly_report__trigger__nightly_report" {
  project  = google_cloud_run_v2_job.nightly_report.project
  location = google_cloud_run_v2_job.nightly_report.location
  name     = google_cloud_run_v2_job.nightly_report.name
  role     = "roles/run.invoker"
  member   = google_service_account.trigger__nightly_report.member
}

resource "google_cloud_scheduler_job" "nightly_report" {
  name             = "nightly-report"
  region           = var.region
  description      = "Runs the Cloud Run job nightly-report on its schedule"
  schedule         = "0 2 * * *"
  time_zone        = "Etc/UTC"
  attempt_deadline = "320s"

  retry_config {
    retry_count = 3
  }

  http_target {
    http_method = "POST"
    uri         = "https://run.googleapis.com/v2/${google_cloud_run_v2_job.nightly_report.id}:run"

    oauth_token {
      service_account_email = google_service_account.trigger__nightly_report.email
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }

  depends_on = [google_cloud_run_v2_job_iam_member.nightly_report__trigger__nightly_report]
}
