# Pub/Sub's service agent moves undeliverable messages to the dead-letter topics.
locals {
  pubsub_service_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic" "events" {
  #checkov:skip=CKV_GCP_83:Google-managed encryption keys; the blueprint models no KMS key ring, and a customer-managed key would need one the team owns and rotates
  name   = "events"
  labels = merge(var.labels, { "blueprint" = "kitchen-sink", "blueprint-kind" = "topic" })
}

# Messages no subscriber could handle after the subscription's attempts, kept 7 days.
resource "google_pubsub_topic" "events__dead_letter" {
  #checkov:skip=CKV_GCP_83:Google-managed encryption keys; the blueprint models no KMS key ring, and a customer-managed key would need one the team owns and rotates
  name                       = "events-dead-letter"
  labels                     = merge(var.labels, { "blueprint" = "kitchen-sink", "blueprint-dead-letter-of" = "events" })
  message_retention_duration = "604800s"
}

resource "google_pubsub_topic_iam_member" "events__dead_letter__pubsub" {
  project = google_pubsub_topic.events__dead_letter.project
  topic   = google_pubsub_topic.events__dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}

resource "google_pubsub_topic_iam_member" "events__api" {
  project = google_pubsub_topic.events.project
  topic   = google_pubsub_topic.events.name
  role    = "roles/pubsub.publisher"
  member  = google_service_account.api.member
}

resource "google_pubsub_topic" "work" {
  #checkov:skip=CKV_GCP_83:Google-managed encryption keys; the blueprint models no KMS key ring, and a customer-managed key would need one the team owns and rotates
  name   = "work"
  labels = merge(var.labels, { "blueprint" = "kitchen-sink", "blueprint-kind" = "queue" })
}

# Messages no subscriber could handle after the subscription's attempts, kept 7 days.
resource "google_pubsub_topic" "work__dead_letter" {
  #checkov:skip=CKV_GCP_83:Google-managed encryption keys; the blueprint models no KMS key ring, and a customer-managed key would need one the team owns and rotates
  name                       = "work-dead-letter"
  labels                     = merge(var.labels, { "blueprint" = "kitchen-sink", "blueprint-dead-letter-of" = "work" })
  message_retention_duration = "604800s"
}

resource "google_pubsub_topic_iam_member" "work__dead_letter__pubsub" {
  project = google_pubsub_topic.work__dead_letter.project
  topic   = google_pubsub_topic.work__dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}

resource "google_pubsub_topic_iam_member" "work__api" {
  project = google_pubsub_topic.work.project
  topic   = google_pubsub_topic.work.name
  role    = "roles/pubsub.publisher"
  member  = google_service_account.api.member
}

resource "google_pubsub_subscription" "events__indexer__subscription" {
  name                       = "events.indexer"
  topic                      = google_pubsub_topic.events.id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  labels                     = merge(var.labels, { "blueprint" = "kitchen-sink" })

  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = "20s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.events__dead_letter.id
    max_delivery_attempts = 8
  }
}

# Pub/Sub's service agent acknowledges the messages it forwards to the dead-letter topic.
resource "google_pubsub_subscription_iam_member" "events__indexer__subscription__pubsub" {
  project      = google_pubsub_subscription.events__indexer__subscription.project
  subscription = google_pubsub_subscription.events__indexer__subscription.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "events__indexer__subscription__indexer" {
  project      = google_pubsub_subscription.events__indexer__subscription.project
  subscription = google_pubsub_subscription.events__indexer__subscription.name
  role         = "roles/pubsub.subscriber"
  member       = google_service_account.indexer.member
}

resource "google_pubsub_subscription" "events__search__subscription" {
  name                       = "events.search"
  topic                      = google_pubsub_topic.events.id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  labels                     = merge(var.labels, { "blueprint" = "kitchen-sink" })

  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.events__dead_letter.id
    max_delivery_attempts = 5
  }

  # Pushed to the service with an OIDC token of the push identity, which alone may invoke it.
  push_config {
    push_endpoint = google_cloud_run_v2_service.search.uri

    oidc_token {
      service_account_email = google_service_account.pubsub__push.email
      audience              = google_cloud_run_v2_service.search.uri
    }
  }
}

# Pub/Sub's service agent acknowledges the messages it forwards to the dead-letter topic.
resource "google_pubsub_subscription_iam_member" "events__search__subscription__pubsub" {
  project      = google_pubsub_subscription.events__search__subscription.project
  subscription = google_pubsub_subscription.events__search__subscription.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

resource "google_pubsub_subscription" "work__subscription" {
  name                       = "work"
  topic                      = google_pubsub_topic.work.id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  labels                     = merge(var.labels, { "blueprint" = "kitchen-sink" })

  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.work__dead_letter.id
    max_delivery_attempts = 5
  }
}

# Pub/Sub's service agent acknowledges the messages it forwards to the dead-letter topic.
resource "google_pubsub_subscription_iam_member" "work__subscription__pubsub" {
  project      = google_pubsub_subscription.work__subscription.project
  subscription = google_pubsub_subscription.work__subscription.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "work__subscription__worker_a" {
  project      = google_pubsub_subscription.work__subscription.project
  subscription = google_pubsub_subscription.work__subscription.name
  role         = "roles/pubsub.subscriber"
  member       = google_service_account.worker_a.member
}

resource "google_pubsub_subscription_iam_member" "work__subscription__worker_b" {
  project      = google_pubsub_subscription.work__subscription.project
  subscription = google_pubsub_subscription.work__subscription.name
  role         = "roles/pubsub.subscriber"
  member       = google_service_account.worker_b.member
}
