# Pub/Sub's service agent moves undeliverable messages to the dead-letter topics.
locals {
  pubsub_service_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic" "order_events" {
  #checkov:skip=CKV_GCP_83:Google-managed encryption keys; the blueprint models no KMS key ring, and a customer-managed key would need one the team owns and rotates
  name   = "order-events"
  labels = merge(var.labels, { "blueprint" = "gcp-shop", "blueprint-kind" = "topic" })
}

# Messages no subscriber could handle after the subscription's attempts, kept 7 days.
resource "google_pubsub_topic" "order_events__dead_letter" {
  #checkov:skip=CKV_GCP_83:Google-managed encryption keys; the blueprint models no KMS key ring, and a customer-managed key would need one the team owns and rotates
  name                       = "order-events-dead-letter"
  labels                     = merge(var.labels, { "blueprint" = "gcp-shop", "blueprint-dead-letter-of" = "order-events" })
  message_retention_duration = "604800s"
}

resource "google_pubsub_topic_iam_member" "order_events__dead_letter__pubsub" {
  project = google_pubsub_topic.order_events__dead_letter.project
  topic   = google_pubsub_topic.order_events__dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}

resource "google_pubsub_topic_iam_member" "order_events__orders" {
  project = google_pubsub_topic.order_events.project
  topic   = google_pubsub_topic.order_events.name
  role    = "roles/pubsub.publisher"
  member  = google_service_account.orders.member
}

resource "google_pubsub_subscription" "order_events__fulfil__subscription" {
  name                       = "order-events.fulfil"
  topic                      = google_pubsub_topic.order_events.id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  labels                     = merge(var.labels, { "blueprint" = "gcp-shop" })

  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = "30s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.order_events__dead_letter.id
    max_delivery_attempts = 5
  }
}

# Pub/Sub's service agent acknowledges the messages it forwards to the dead-letter topic.
resource "google_pubsub_subscription_iam_member" "order_events__fulfil__subscription__pubsub" {
  project      = google_pubsub_subscription.order_events__fulfil__subscription.project
  subscription = google_pubsub_subscription.order_events__fulfil__subscription.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "order_events__fulfil__subscription__fulfil" {
  project      = google_pubsub_subscription.order_events__fulfil__subscription.project
  subscription = google_pubsub_subscription.order_events__fulfil__subscription.name
  role         = "roles/pubsub.subscriber"
  member       = google_service_account.fulfil.member
}
