resource "aws_sqs_queue" "orders_dlq" {
  name                              = "async-sink-orders-dlq"
  kms_master_key_id                 = aws_kms_key.main.arn
  kms_data_key_reuse_period_seconds = 300
  message_retention_seconds         = 1209600
}

resource "aws_sqs_queue" "orders" {
  name                              = "async-sink-orders"
  kms_master_key_id                 = aws_kms_key.main.arn
  kms_data_key_reuse_period_seconds = 300
  message_retention_seconds         = 604800
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
    maxReceiveCount     = 4
  })
}

resource "aws_sqs_queue" "events_audit_subscription_dlq" {
  name                              = "async-sink-events-audit-subscription-dlq"
  kms_master_key_id                 = aws_kms_key.main.arn
  kms_data_key_reuse_period_seconds = 300
  message_retention_seconds         = 1209600
}

resource "aws_sqs_queue" "events_audit_subscription" {
  name                              = "async-sink-events-audit"
  kms_master_key_id                 = aws_kms_key.main.arn
  kms_data_key_reuse_period_seconds = 300
  message_retention_seconds         = 345600
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.events_audit_subscription_dlq.arn
    maxReceiveCount     = 1
  })
}

resource "aws_sqs_queue_policy" "events_audit_subscription" {
  queue_url = aws_sqs_queue.events_audit_subscription.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "TopicDelivers"
        Effect = "Allow"
        Principal = {
          Service = ["sns.amazonaws.com"]
        }
        Action   = ["sqs:SendMessage"]
        Resource = [aws_sqs_queue.events_audit_subscription.arn]
        Condition = {
          ArnEquals = {
            "aws:SourceArn" = aws_sns_topic.events.arn
          }
        }
      },
    ]
  })
}

resource "aws_sqs_queue" "events_mailer_subscription_dlq" {
  name                              = "async-sink-events-mailer-subscription-dlq"
  kms_master_key_id                 = aws_kms_key.main.arn
  kms_data_key_reuse_period_seconds = 300
  message_retention_seconds         = 1209600
}

resource "aws_sqs_queue" "events_mailer_subscription" {
  name                              = "async-sink-events-mailer"
  kms_master_key_id                 = aws_kms_key.main.arn
  kms_data_key_reuse_period_seconds = 300
  message_retention_seconds         = 345600
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.events_mailer_subscription_dlq.arn
    maxReceiveCount     = 3
  })
}

resource "aws_sqs_queue_policy" "events_mailer_subscription" {
  queue_url = aws_sqs_queue.events_mailer_subscription.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "TopicDelivers"
        Effect = "Allow"
        Principal = {
          Service = ["sns.amazonaws.com"]
        }
        Action   = ["sqs:SendMessage"]
        Resource = [aws_sqs_queue.events_mailer_subscription.arn]
        Condition = {
          ArnEquals = {
            "aws:SourceArn" = aws_sns_topic.events.arn
          }
        }
      },
    ]
  })
}

resource "aws_sqs_queue" "nightly_dlq" {
  name                              = "async-sink-nightly-dlq"
  kms_master_key_id                 = aws_kms_key.main.arn
  kms_data_key_reuse_period_seconds = 300
  message_retention_seconds         = 1209600
}

resource "aws_sqs_queue" "thumbnailer_dlq" {
  name                              = "async-sink-thumbnailer-dlq"
  kms_master_key_id                 = aws_kms_key.main.arn
  kms_data_key_reuse_period_seconds = 300
  message_retention_seconds         = 1209600
}

resource "aws_sqs_queue_policy" "thumbnailer_dlq" {
  queue_url = aws_sqs_queue.thumbnailer_dlq.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "RuleSendsDeadLetters"
        Effect = "Allow"
        Principal = {
          Service = ["events.amazonaws.com"]
        }
        Action   = ["sqs:SendMessage"]
        Resource = [aws_sqs_queue.thumbnailer_dlq.arn]
        Condition = {
          ArnEquals = {
            "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:events:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:rule/async-sink-thumbnailer"
          }
        }
      },
    ]
  })
}

resource "aws_sns_topic_subscription" "events_audit_subscription" {
  topic_arn            = aws_sns_topic.events.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.events_audit_subscription.arn
  raw_message_delivery = true

  depends_on = [aws_sqs_queue_policy.events_audit_subscription]
}

resource "aws_sns_topic_subscription" "events_mailer_subscription" {
  topic_arn            = aws_sns_topic.events.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.events_mailer_subscription.arn
  raw_message_delivery = true

  depends_on = [aws_sqs_queue_policy.events_mailer_subscription]
}

resource "aws_msk_serverless_cluster" "stream" {
  cluster_name = "async-sink-stream"

  vpc_config {
    subnet_ids         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    security_group_ids = [aws_security_group.stream_broker.id]
  }

  client_authentication {
    sasl {
      iam {
        enabled = true
      }
    }
  }
}
