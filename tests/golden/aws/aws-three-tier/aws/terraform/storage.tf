resource "aws_s3_bucket" "access_logs" {
  #checkov:skip=CKV_AWS_144:cross-region replication needs a second region the blueprint does not declare
  #checkov:skip=CKV2_AWS_62:no consumer of object events is declared in the blueprint
  #checkov:skip=CKV_AWS_18:this is the access-log bucket; logging it to itself would loop
  #checkov:skip=CKV_AWS_145:S3 server access log delivery supports only SSE-S3 on the target bucket
  bucket = "three-tier-access-logs"
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket                  = aws_s3_bucket.access_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  rule {
    id     = "expire"
    status = "Enabled"

    filter {}

    expiration {
      days = 365
    }

    noncurrent_version_expiration {
      noncurrent_days = 365
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "DenyInsecureTransport"
        Effect = "Deny"
        Principal = {
          AWS = ["*"]
        }
        Action   = ["s3:*"]
        Resource = [aws_s3_bucket.access_logs.arn, "${aws_s3_bucket.access_logs.arn}/*"]
        Condition = {
          Bool = {
            "aws:SecureTransport" = "false"
          }
        }
      },
      {
        Sid    = "LoadBalancerAccessLogsDelivery"
        Effect = "Allow"
        Principal = {
          AWS = ["arn:${data.aws_partition.current.partition}:iam::652711504416:root"]
        }
        Action   = ["s3:PutObject"]
        Resource = ["${aws_s3_bucket.access_logs.arn}/lb/internal/AWSLogs/${data.aws_caller_identity.current.account_id}/*", "${aws_s3_bucket.access_logs.arn}/lb/web/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}

resource "aws_secretsmanager_secret" "vault_secret_1" {
  #checkov:skip=CKV2_AWS_57:the value is set outside blueprint; rotation needs a rotation function the blueprint does not declare
  name                    = "three-tier/vault/session-key"
  description             = "Secret session-key in store vault; its value is set outside blueprint"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 30
}
