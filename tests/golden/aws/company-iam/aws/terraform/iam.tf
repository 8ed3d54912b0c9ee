resource "aws_iam_group" "console_mfa" {
  name = "company-iam-console-mfa"
}

resource "aws_iam_policy" "console_mfa" {
  name = "company-iam-console-mfa"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ViewAccountMfaSettings"
        Effect   = "Allow"
        Action   = ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"]
        Resource = ["*"]
      },
      {
        Sid      = "ManageOwnVirtualMfaDevice"
        Effect   = "Allow"
        Action   = ["iam:CreateVirtualMFADevice"]
        Resource = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:mfa/\u0024{aws:username}"]
      },
      {
        Sid      = "ManageOwnPasswordAndMfa"
        Effect   = "Allow"
        Action   = ["iam:ChangePassword", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices", "iam:ResyncMFADevice"]
        Resource = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:user/\u0024{aws:username}"]
      },
      {
        Sid      = "DeactivateOwnMfaOnlyWithMfa"
        Effect   = "Allow"
        Action   = ["iam:DeactivateMFADevice"]
        Resource = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:user/\u0024{aws:username}"]
        Condition = {
          Bool = {
            "aws:MultiFactorAuthPresent" = "true"
          }
        }
      },
      {
        Sid       = "DenyAllExceptListedWithoutMfa"
        Effect    = "Deny"
        NotAction = ["iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetAccountPasswordPolicy", "iam:GetUser", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"]
        Resource  = ["*"]
        Condition = {
          BoolIfExists = {
            "aws:MultiFactorAuthPresent" = "false"
          }
        }
      },
    ]
  })
}

resource "aws_iam_group_policy_attachment" "console_mfa" {
  group      = aws_iam_group.console_mfa.name
  policy_arn = aws_iam_policy.console_mfa.arn
}

resource "aws_iam_group" "developer" {
  name = "company-iam-developer"
}

resource "aws_iam_policy" "developer" {
  name = "company-iam-developer"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadEcrResource"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:GetDownloadUrlForLayer", "ecr:ListImages"]
        Resource = [aws_ecr_repository.ecr.arn]
      },
      {
        Sid      = "ReadEcrAccount"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = ["*"]
      },
      {
        Sid      = "ReadS3Resource"
        Effect   = "Allow"
        Action   = ["s3:GetBucketLocation", "s3:ListBucket"]
        Resource = [aws_s3_bucket.s3.arn]
      },
      {
        Sid      = "ReadS3Objects"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:GetObjectVersion"]
        Resource = ["${aws_s3_bucket.s3.arn}/*"]
      },
      {
        Sid      = "UseEncryptionKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = [aws_kms_key.main.arn]
      },
    ]
  })
}

resource "aws_iam_group_policy_attachment" "developer" {
  group      = aws_iam_group.developer.name
  policy_arn = aws_iam_policy.developer.arn
}

resource "aws_iam_group" "infra_builder" {
  name = "company-iam-infra-builder"
}

resource "aws_iam_policy" "infra_builder" {
  name = "company-iam-infra-builder"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ManageEcrResource"
        Effect   = "Allow"
        Action   = ["ecr:CreateRepository", "ecr:DeleteLifecyclePolicy", "ecr:DeleteRepository", "ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:ListTagsForResource", "ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability", "ecr:PutLifecyclePolicy", "ecr:TagResource", "ecr:UntagResource"]
        Resource = [aws_ecr_repository.ecr.arn]
      },
      {
        Sid      = "ManageEcsResource"
        Effect   = "Allow"
        Action   = ["ecs:CreateCluster", "ecs:DeleteCluster", "ecs:DescribeClusters", "ecs:PutClusterCapacityProviders", "ecs:TagResource", "ecs:UntagResource", "ecs:UpdateCluster", "ecs:UpdateClusterSettings"]
        Resource = [aws_ecs_cluster.ecs.arn]
      },
      {
        Sid      = "ManageEcsAccount"
        Effect   = "Allow"
        Action   = ["ecs:ListClusters"]
        Resource = ["*"]
      },
      {
        Sid      = "ManageS3Resource"
        Effect   = "Allow"
        Action   = ["s3:CreateBucket", "s3:DeleteBucket", "s3:GetBucketLocation", "s3:GetBucketLogging", "s3:GetBucketPublicAccessBlock", "s3:GetBucketTagging", "s3:GetBucketVersioning", "s3:GetEncryptionConfiguration", "s3:ListBucket", "s3:PutBucketLogging", "s3:PutBucketPublicAccessBlock", "s3:PutBucketTagging", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration"]
        Resource = [aws_s3_bucket.s3.arn]
      },
    ]
  })
}

resource "aws_iam_group_policy_attachment" "infra_builder" {
  group      = aws_iam_group.infra_builder.name
  policy_arn = aws_iam_policy.infra_builder.arn
}

resource "aws_iam_group" "service_publisher" {
  name = "company-iam-service-publisher"
}

resource "aws_iam_policy" "service_publisher" {
  name = "company-iam-service-publisher"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "PushEcrResource"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"]
        Resource = [aws_ecr_repository.ecr.arn]
      },
      {
        Sid      = "PushEcrAccount"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = ["*"]
      },
    ]
  })
}

resource "aws_iam_group_policy_attachment" "service_publisher" {
  group      = aws_iam_group.service_publisher.name
  policy_arn = aws_iam_policy.service_publisher.arn
}

resource "aws_iam_user" "builder_ci_user" {
  #checkov:skip=CKV_AWS_273:the blueprint declares this principal as an IAM user; SSO is outside what it models
  name = "builder-ci"
}

resource "aws_iam_user_group_membership" "builder_ci_user" {
  user   = aws_iam_user.builder_ci_user.name
  groups = [aws_iam_group.infra_builder.name]
}

resource "aws_iam_user" "leo_user" {
  #checkov:skip=CKV_AWS_273:the blueprint declares this principal as an IAM user; SSO is outside what it models
  #checkov:skip=CKV2_AWS_22:the blueprint grants this human console access; the console-mfa group denies everything without MFA
  name = "leo"
}

resource "aws_iam_user_group_membership" "leo_user" {
  user   = aws_iam_user.leo_user.name
  groups = [aws_iam_group.developer.name, aws_iam_group.console_mfa.name]
}

# The generated first password is in the state, encrypted to var.console_pgp_key when set;
# it must be changed at first sign-in, and nothing works before MFA is set up.
resource "aws_iam_user_login_profile" "leo_user" {
  user                    = aws_iam_user.leo_user.name
  password_reset_required = true
  pgp_key                 = var.console_pgp_key
}

resource "aws_iam_user" "publisher_ci_user" {
  #checkov:skip=CKV_AWS_273:the blueprint declares this principal as an IAM user; SSO is outside what it models
  name = "publisher-ci"
}

resource "aws_iam_user_group_membership" "publisher_ci_user" {
  user   = aws_iam_user.publisher_ci_user.name
  groups = [aws_iam_group.service_publisher.name]
}
