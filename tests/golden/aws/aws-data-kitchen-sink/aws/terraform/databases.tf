resource "aws_db_subnet_group" "db" {
  name        = "sink-db"
  description = "Private subnets of database db"
  subnet_ids  = [aws_subnet.app_a.id, aws_subnet.app_b.id, aws_subnet.data_a.id, aws_subnet.data_b.id]
}

resource "aws_db_parameter_group" "db" {
  name        = "sink-db"
  family      = "postgres16"
  description = "TLS only, DDL and slow statements logged: database db"

  parameter {
    name         = "log_min_duration_statement"
    value        = "1000"
    apply_method = "pending-reboot"
  }

  parameter {
    name         = "log_statement"
    value        = "ddl"
    apply_method = "pending-reboot"
  }

  parameter {
    name         = "rds.force_ssl"
    value        = "1"
    apply_method = "pending-reboot"
  }
}

resource "aws_db_instance" "db" {
  identifier                          = "sink-db"
  db_name                             = "db"
  engine                              = "postgres"
  engine_version                      = "16.9"
  port                                = 5432
  master_username                     = "blueprint_admin"
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = aws_kms_key.main.arn
  iam_database_authentication_enabled = true
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.main.arn
  db_subnet_group_name                = aws_db_subnet_group.db.name
  vpc_security_group_ids              = [aws_security_group.db_db.id]
  backup_retention_period             = 14
  copy_tags_to_snapshot               = true
  deletion_protection                 = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  final_snapshot_identifier           = "sink-db-final"
  instance_class                      = "db.t4g.medium"
  allocated_storage                   = 50
  storage_type                        = "gp3"
  multi_az                            = true
  publicly_accessible                 = false
  parameter_group_name                = aws_db_parameter_group.db.name
  auto_minor_version_upgrade          = true
  monitoring_interval                 = 60
  monitoring_role_arn                 = aws_iam_role.db_monitoring.arn
  performance_insights_enabled        = true
  performance_insights_kms_key_id     = aws_kms_key.main.arn
}

resource "aws_db_subnet_group" "ledger" {
  name        = "sink-ledger"
  description = "Private subnets of database ledger"
  subnet_ids  = [aws_subnet.app_a.id, aws_subnet.app_b.id, aws_subnet.data_a.id, aws_subnet.data_b.id]
}

resource "aws_rds_cluster_parameter_group" "ledger" {
  name        = "sink-ledger"
  family      = "aurora-postgresql15"
  description = "TLS only, DDL and slow statements logged: database ledger"

  parameter {
    name         = "log_min_duration_statement"
    value        = "1000"
    apply_method = "pending-reboot"
  }

  parameter {
    name         = "log_statement"
    value        = "ddl"
    apply_method = "pending-reboot"
  }

  parameter {
    name         = "rds.force_ssl"
    value        = "1"
    apply_method = "pending-reboot"
  }
}

resource "aws_rds_cluster" "ledger" {
  #checkov:skip=CKV2_AWS_8:automated backups (backup_retention_days) protect the cluster; AWS Backup plans are outside what the blueprint models
  cluster_identifier                  = "sink-ledger"
  database_name                       = "ledger"
  engine                              = "aurora-postgresql"
  engine_version                      = "15.12"
  port                                = 5432
  master_username                     = "blueprint_admin"
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = aws_kms_key.main.arn
  iam_database_authentication_enabled = true
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.main.arn
  db_subnet_group_name                = aws_db_subnet_group.ledger.name
  vpc_security_group_ids              = [aws_security_group.ledger_db.id]
  backup_retention_period             = 7
  copy_tags_to_snapshot               = true
  deletion_protection                 = true
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  final_snapshot_identifier           = "sink-ledger-final"
  db_cluster_parameter_group_name     = aws_rds_cluster_parameter_group.ledger.name
}

resource "aws_rds_cluster_instance" "ledger_1" {
  identifier                      = "sink-ledger-1"
  cluster_identifier              = aws_rds_cluster.ledger.id
  engine                          = aws_rds_cluster.ledger.engine
  engine_version                  = aws_rds_cluster.ledger.engine_version
  instance_class                  = "db.r7g.large"
  db_subnet_group_name            = aws_db_subnet_group.ledger.name
  publicly_accessible             = false
  copy_tags_to_snapshot           = true
  auto_minor_version_upgrade      = true
  monitoring_interval             = 60
  monitoring_role_arn             = aws_iam_role.ledger_monitoring.arn
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.main.arn
}

resource "aws_rds_cluster_instance" "ledger_2" {
  identifier                      = "sink-ledger-2"
  cluster_identifier              = aws_rds_cluster.ledger.id
  engine                          = aws_rds_cluster.ledger.engine
  engine_version                  = aws_rds_cluster.ledger.engine_version
  instance_class                  = "db.r7g.large"
  db_subnet_group_name            = aws_db_subnet_group.ledger.name
  publicly_accessible             = false
  copy_tags_to_snapshot           = true
  auto_minor_version_upgrade      = true
  monitoring_interval             = 60
  monitoring_role_arn             = aws_iam_role.ledger_monitoring.arn
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.main.arn
}

resource "aws_db_subnet_group" "legacy" {
  name        = "sink-legacy"
  description = "Private subnets of database legacy"
  subnet_ids  = [aws_subnet.app_a.id, aws_subnet.app_b.id, aws_subnet.data_a.id, aws_subnet.data_b.id]
}

resource "aws_db_parameter_group" "legacy" {
  name        = "sink-legacy"
  family      = "mysql8.0"
  description = "TLS only, DDL and slow statements logged: database legacy"

  parameter {
    name         = "require_secure_transport"
    value        = "1"
    apply_method = "pending-reboot"
  }
}

resource "aws_db_instance" "legacy" {
  #checkov:skip=CKV_AWS_157:high_availability is false for this database in this environment
  #checkov:skip=CKV_AWS_293:deletion_protection is false for this database in this environment
  identifier                          = "sink-legacy"
  db_name                             = "legacy"
  engine                              = "mysql"
  engine_version                      = "8.0.42"
  port                                = 3306
  master_username                     = "blueprint_admin"
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = aws_kms_key.main.arn
  iam_database_authentication_enabled = true
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.main.arn
  db_subnet_group_name                = aws_db_subnet_group.legacy.name
  vpc_security_group_ids              = [aws_security_group.legacy_db.id]
  backup_retention_period             = 7
  copy_tags_to_snapshot               = true
  deletion_protection                 = false
  enabled_cloudwatch_logs_exports     = ["error", "general", "slowquery"]
  final_snapshot_identifier           = "sink-legacy-final"
  instance_class                      = "db.m7g.xlarge"
  allocated_storage                   = 20
  storage_type                        = "gp3"
  multi_az                            = false
  publicly_accessible                 = false
  parameter_group_name                = aws_db_parameter_group.legacy.name
  auto_minor_version_upgrade          = true
  monitoring_interval                 = 60
  monitoring_role_arn                 = aws_iam_role.legacy_monitoring.arn
  performance_insights_enabled        = true
  performance_insights_kms_key_id     = aws_kms_key.main.arn
}
