resource "google_cloud_run_v2_job" "cleanup" {
  name                = "cleanup"
  location            = var.region
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "kitchen-sink" })

  template {
    task_count = 1

    template {
      service_account = google_service_account.cleanup.email
      timeout         = "600s"
      max_retries     = 3

      vpc_access {
        egress = "PRIVATE_RANGES_ONLY"
        network_interfaces {
          network    = google_compute_network.core.id
          subnetwork = google_compute_subnetwork.apps.id
        }
      }

      containers {
        image = "europe-west1-docker.pkg.dev/sink-project/images/sink/cleanup:1.0.0"

        resources {
          limits = {
            cpu    = "1"
            memory = "512Mi"
          }
        }

        env {
          name = "ADMIN_TOKEN"
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.admin_token.secret_id
              version = "latest"
            }
          }
        }
      }
    }
  }

  # Cloud Run checks at deploy time that the identity can read what the execution needs.
  depends_on = [
    google_artifact_registry_repository_iam_member.images__cleanup,
    google_secret_manager_secret_iam_member.admin_token__cleanup,
  ]
}

resource "google_cloud_run_v2_job_iam_member" "cleanup__trigger__cleanup" {
  project  = google_cloud_run_v2_job.cleanup.project
  location = google_cloud_run_v2_job.cleanup.location
  name     = google_cloud_run_v2_job.cleanup.name
  role     = "roles/run.invoker"
  member   = google_service_account.trigger__cleanup.member
}

resource "google_cloud_scheduler_job" "cleanup" {
  name             = "cleanup"
  region           = var.region
  description      = "Runs the Cloud Run job cleanup on its schedule"
  schedule         = "30 4 * * 1"
  time_zone        = "Etc/UTC"
  attempt_deadline = "320s"

  retry_config {
    retry_count = 3
  }

  http_target {
    http_method = "POST"
    uri         = "https://run.googleapis.com/v2/${google_cloud_run_v2_job.cleanup.id}:run"

    oauth_token {
      service_account_email = google_service_account.trigger__cleanup.email
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }

  depends_on = [google_cloud_run_v2_job_iam_member.cleanup__trigger__cleanup]
}

resource "google_cloud_run_v2_job" "indexer" {
  name                = "indexer"
  location            = var.region
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "kitchen-sink" })

  template {
    task_count = 1

    template {
      service_account = google_service_account.indexer.email
      timeout         = "600s"
      max_retries     = 8

      containers {
        image = "europe-west1-docker.pkg.dev/sink-project/images/sink/indexer:1.0.0"

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
    google_artifact_registry_repository_iam_member.images__indexer,
  ]
}

resource "google_cloud_run_v2_job_iam_member" "indexer__trigger__indexer" {
  project  = google_cloud_run_v2_job.indexer.project
  location = google_cloud_run_v2_job.indexer.location
  name     = google_cloud_run_v2_job.indexer.name
  role     = "roles/run.invoker"
  member   = google_service_account.trigger__indexer.member
}

# Eventarc cannot start a job itself: it starts this workflow, which runs the job.
resource "google_workflows_workflow" "indexer" {
  name            = "run-indexer"
  region          = var.region
  description     = "Runs the Cloud Run job indexer for each event"
  service_account = google_service_account.trigger__indexer.id
  call_log_level  = "LOG_ERRORS_ONLY"
  labels          = merge(var.labels, { "blueprint" = "kitchen-sink" })
  source_contents = <<-EOT
    main:
      params: [event]
      steps:
        - run:
            call: http.post
            args:
              url: https://run.googleapis.com/v2/${google_cloud_run_v2_job.indexer.id}:run
              auth:
                type: OAuth2
            result: execution
        - done:
            return: $${execution.body.metadata.name}
  EOT
}

resource "google_eventarc_trigger" "indexer" {
  name            = "indexer"
  location        = var.region
  service_account = google_service_account.trigger__indexer.email
  labels          = merge(var.labels, { "blueprint" = "kitchen-sink" })

  matching_criteria {
    attribute = "type"
    value     = "google.cloud.pubsub.topic.v1.messagePublished"
  }

  transport {
    pubsub {
      topic = google_pubsub_topic.events.id
    }
  }

  destination {
    workflow = google_workflows_workflow.indexer.id
  }

  depends_on = [
    google_project_iam_member.trigger__indexer__event_receiver,
    google_project_iam_member.trigger__indexer__workflows_invoker,
  ]
}

# Eventarc delivers events as this identity (project-wide: the role has no narrower scope).
resource "google_project_iam_member" "trigger__indexer__event_receiver" {
  project = var.project
  role    = "roles/eventarc.eventReceiver"
  member  = google_service_account.trigger__indexer.member
}

resource "google_project_iam_member" "trigger__indexer__workflows_invoker" {
  project = var.project
  role    = "roles/workflows.invoker"
  member  = google_service_account.trigger__indexer.member

  condition {
    title      = "only run-indexer"
    expression = "resource.name == \"${google_workflows_workflow.indexer.id}\""
  }
}

resource "google_cloud_run_v2_job" "thumbnails" {
  name                = "thumbnails"
  location            = var.region
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "kitchen-sink" })

  template {
    task_count = 1

    template {
      service_account = google_service_account.thumbnails.email
      timeout         = "600s"
      max_retries     = 3

      containers {
        image = "europe-west1-docker.pkg.dev/sink-project/images/sink/thumbs:1.0.0"

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
    google_artifact_registry_repository_iam_member.images__thumbnails,
  ]
}

resource "google_cloud_run_v2_job_iam_member" "thumbnails__trigger__thumbnails" {
  project  = google_cloud_run_v2_job.thumbnails.project
  location = google_cloud_run_v2_job.thumbnails.location
  name     = google_cloud_run_v2_job.thumbnails.name
  role     = "roles/run.jobsExecutorWithOverrides"
  member   = google_service_account.trigger__thumbnails.member
}

# Eventarc cannot start a job itself: it starts this workflow, which runs the job.
resource "google_workflows_workflow" "thumbnails" {
  name            = "run-thumbnails"
  region          = var.region
  description     = "Runs the Cloud Run job thumbnails for each event"
  service_account = google_service_account.trigger__thumbnails.id
  call_log_level  = "LOG_ERRORS_ONLY"
  labels          = merge(var.labels, { "blueprint" = "kitchen-sink" })
  source_contents = <<-EOT
    main:
      params: [event]
      steps:
        - run:
            call: http.post
            args:
              url: https://run.googleapis.com/v2/${google_cloud_run_v2_job.thumbnails.id}:run
              auth:
                type: OAuth2
              body:
                overrides:
                  containerOverrides:
                    - env:
                        - name: BLUEPRINT_EVENT_BUCKET
                          value: $${event.data.bucket}
                        - name: BLUEPRINT_EVENT_OBJECT
                          value: $${event.data.name}
            result: execution
        - done:
            return: $${execution.body.metadata.name}
  EOT
}

resource "google_eventarc_trigger" "thumbnails" {
  name            = "thumbnails"
  location        = var.region
  service_account = google_service_account.trigger__thumbnails.email
  labels          = merge(var.labels, { "blueprint" = "kitchen-sink" })

  matching_criteria {
    attribute = "type"
    value     = "google.cloud.storage.object.v1.finalized"
  }

  matching_criteria {
    attribute = "bucket"
    value     = google_storage_bucket.uploads.name
  }

  destination {
    workflow = google_workflows_workflow.thumbnails.id
  }

  depends_on = [
    google_project_iam_member.trigger__thumbnails__event_receiver,
    google_project_iam_member.trigger__thumbnails__workflows_invoker,
    google_project_iam_member.storage_events,
  ]
}

# Eventarc delivers events as this identity (project-wide: the role has no narrower scope).
resource "google_project_iam_member" "trigger__thumbnails__event_receiver" {
  project = var.project
  role    = "roles/eventarc.eventReceiver"
  member  = google_service_account.trigger__thumbnails.member
}

resource "google_project_iam_member" "trigger__thumbnails__workflows_invoker" {
  project = var.project
  role    = "roles/workflows.invoker"
  member  = google_service_account.trigger__thumbnails.member

  condition {
    title      = "only run-thumbnails"
    expression = "resource.name == \"${google_workflows_workflow.thumbnails.id}\""
  }
}

resource "google_cloud_run_v2_job" "worker_a" {
  name                = "worker-a"
  location            = var.region
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "kitchen-sink" })

  template {
    task_count = 1

    template {
      service_account = google_service_account.worker_a.email
      timeout         = "600s"
      max_retries     = 3

      containers {
        image = "europe-west1-docker.pkg.dev/sink-project/images/sink/worker:1.0.0"

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
    google_artifact_registry_repository_iam_member.images__worker_a,
  ]
}

resource "google_cloud_run_v2_job_iam_member" "worker_a__trigger__worker_a" {
  project  = google_cloud_run_v2_job.worker_a.project
  location = google_cloud_run_v2_job.worker_a.location
  name     = google_cloud_run_v2_job.worker_a.name
  role     = "roles/run.invoker"
  member   = google_service_account.trigger__worker_a.member
}

# Eventarc cannot start a job itself: it starts this workflow, which runs the job.
resource "google_workflows_workflow" "worker_a" {
  name            = "run-worker-a"
  region          = var.region
  description     = "Runs the Cloud Run job worker-a for each event"
  service_account = google_service_account.trigger__worker_a.id
  call_log_level  = "LOG_ERRORS_ONLY"
  labels          = merge(var.labels, { "blueprint" = "kitchen-sink" })
  source_contents = <<-EOT
    main:
      params: [event]
      steps:
        - run:
            call: http.post
            args:
              url: https://run.googleapis.com/v2/${google_cloud_run_v2_job.worker_a.id}:run
              auth:
                type: OAuth2
            result: execution
        - done:
            return: $${execution.body.metadata.name}
  EOT
}

resource "google_eventarc_trigger" "worker_a" {
  name            = "worker-a"
  location        = var.region
  service_account = google_service_account.trigger__worker_a.email
  labels          = merge(var.labels, { "blueprint" = "kitchen-sink" })

  matching_criteria {
    attribute = "type"
    value     = "google.cloud.pubsub.topic.v1.messagePublished"
  }

  transport {
    pubsub {
      topic = google_pubsub_topic.work.id
    }
  }

  destination {
    workflow = google_workflows_workflow.worker_a.id
  }

  depends_on = [
    google_project_iam_member.trigger__worker_a__event_receiver,
    google_project_iam_member.trigger__worker_a__workflows_invoker,
  ]
}

# Eventarc delivers events as this identity (project-wide: the role has no narrower scope).
resource "google_project_iam_member" "trigger__worker_a__event_receiver" {
  project = var.project
  role    = "roles/eventarc.eventReceiver"
  member  = google_service_account.trigger__worker_a.member
}

resource "google_project_iam_member" "trigger__worker_a__workflows_invoker" {
  project = var.project
  role    = "roles/workflows.invoker"
  member  = google_service_account.trigger__worker_a.member

  condition {
    title      = "only run-worker-a"
    expression = "resource.name == \"${google_workflows_workflow.worker_a.id}\""
  }
}

resource "google_cloud_run_v2_job" "worker_b" {
  name                = "worker-b"
  location            = var.region
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { "blueprint" = "kitchen-sink" })

  template {
    task_count = 1

    template {
      service_account = google_service_account.worker_b.email
      timeout         = "600s"
      max_retries     = 3

      containers {
        image = "europe-west1-docker.pkg.dev/sink-project/images/sink/worker:1.0.0"

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
    google_artifact_registry_repository_iam_member.images__worker_b,
  ]
}

resource "google_cloud_run_v2_job_iam_member" "worker_b__trigger__worker_b" {
  project  = google_cloud_run_v2_job.worker_b.project
  location = google_cloud_run_v2_job.worker_b.location
  name     = google_cloud_run_v2_job.worker_b.name
  role     = "roles/run.invoker"
  member   = google_service_account.trigger__worker_b.member
}

# Eventarc cannot start a job itself: it starts this workflow, which runs the job.
resource "google_workflows_workflow" "worker_b" {
  name            = "run-worker-b"
  region          = var.region
  description     = "Runs the Cloud Run job worker-b for each event"
  service_account = google_service_account.trigger__worker_b.id
  call_log_level  = "LOG_ERRORS_ONLY"
  labels          = merge(var.labels, { "blueprint" = "kitchen-sink" })
  source_contents = <<-EOT
    main:
      params: [event]
      steps:
        - run:
            call: http.post
            args:
              url: https://run.googleapis.com/v2/${google_cloud_run_v2_job.worker_b.id}:run
              auth:
                type: OAuth2
            result: execution
        - done:
            return: $${execution.body.metadata.name}
  EOT
}

resource "google_eventarc_trigger" "worker_b" {
  name            = "worker-b"
  location        = var.region
  service_account = google_service_account.trigger__worker_b.email
  labels          = merge(var.labels, { "blueprint" = "kitchen-sink" })

  matching_criteria {
    attribute = "type"
    value     = "google.cloud.pubsub.topic.v1.messagePublished"
  }

  transport {
    pubsub {
      topic = google_pubsub_topic.work.id
    }
  }

  destination {
    workflow = google_workflows_workflow.worker_b.id
  }

  depends_on = [
    google_project_iam_member.trigger__worker_b__event_receiver,
    google_project_iam_member.trigger__worker_b__workflows_invoker,
  ]
}

# Eventarc delivers events as this identity (project-wide: the role has no narrower scope).
resource "google_project_iam_member" "trigger__worker_b__event_receiver" {
  project = var.project
  role    = "roles/eventarc.eventReceiver"
  member  = google_service_account.trigger__worker_b.member
}

resource "google_project_iam_member" "trigger__worker_b__workflows_invoker" {
  project = var.project
  role    = "roles/workflows.invoker"
  member  = google_service_account.trigger__worker_b.member

  condition {
    title      = "only run-worker-b"
    expression = "resource.name == \"${google_workflows_workflow.worker_b.id}\""
  }
}

# Cloud Storage publishes object events to Eventarc through Pub/Sub as its service agent.
data "google_storage_project_service_account" "this" {}

resource "google_project_iam_member" "storage_events" {
  project = var.project
  role    = "roles/pubsub.publisher"
  member  = data.google_storage_project_service_account.this.member
}
