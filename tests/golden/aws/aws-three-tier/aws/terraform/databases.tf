resource "aws_db_subnet_group" "orders" {
  name        = "three-tier-orders"
  description = "Private subnets of database orders"
  subnet_ids  = [aws_subnet.data_a.id, aws_subnet.data_b.id]
}

resource "aws_rds_cluster_parameter_group" "orders" {
  name        = "three-tier-orders"
  family      = "aurora-postgresql16"
  description = "TLS only, DDL and slow statements logged: database orders"

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

resource "aws_rds_cluster" "orders" {
  #checkov:skip=CKV2_AWS_8:automated backups (backup_retention_days) protect the cluster; AWS Backup plans are outside what the blueprint models
  cluster_identifier                  = "three-tier-orders"
  database_name                       = "orders"
  engine                              = "aurora-postgresql"
  engine_version                      = "16.8"
  port                                = 5432
  master_username                     = "blueprint_admin"
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = aws_kms_key.main.arn
  iam_database_authentication_enabled = true
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.main.arn
  db_subnet_group_name                = aws_db_subnet_group.orders.name
  vpc_security_group_ids              = [aws_security_group.orders_db.id]
  backup_retention_period             = 7
  copy_tags_to_snapshot               = true
  deletion_protection                 = true
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  final_snapshot_identifier           = "three-tier-orders-final"
  db_cluster_parameter_group_name     = aws_rds_cluster_parameter_group.orders.name
}

resource "aws_rds_cluster_instance" "orders_1" {
  identifier                      = "three-tier-orders-1"
  cluster_identifier              = aws_rds_cluster.orders.id
  engine                          = aws_rds_cluster.orders.engine
  engine_version                  = aws_rds_cluster.orders.engine_version
  instance_class                  = "db.t4g.medium"
  db_subnet_group_name            = aws_db_subnet_group.orders.name
  publicly_accessible             = false
  copy_tags_to_snapshot           = true
  auto_minor_version_upgrade      = true
  monitoring_interval             = 60
  monitoring_role_arn             = aws_iam_role.orders_monitoring.arn
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.main.arn
}
