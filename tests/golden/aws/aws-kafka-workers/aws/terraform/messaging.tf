resource "aws_msk_serverless_cluster" "kafka" {
  cluster_name = "kafka-workers-aws-kafka"

  vpc_config {
    subnet_ids         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    security_group_ids = [aws_security_group.kafka_broker.id]
  }

  client_authentication {
    sasl {
      iam {
        enabled = true
      }
    }
  }
}
