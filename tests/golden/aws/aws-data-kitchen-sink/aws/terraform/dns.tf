data "aws_route53_zone" "example_com" {
  name         = "example.com"
  private_zone = false
}

resource "aws_acm_certificate" "web" {
  domain_name       = "shop.example.com"
  validation_method = "DNS"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "web_validation" {
  for_each = {
    for o in aws_acm_certificate.web.domain_validation_options : o.domain_name => o
  }

  zone_id         = data.aws_route53_zone.example_com.zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

# Waits until the certificate is issued.
resource "aws_acm_certificate_validation" "web" {
  certificate_arn         = aws_acm_certificate.web.arn
  validation_record_fqdns = [for r in aws_route53_record.web_validation : r.fqdn]
}

resource "aws_acm_certificate" "bare" {
  domain_name       = "bare.example.net"
  validation_method = "DNS"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  lifecycle {
    create_before_destroy = true
  }
}

# Waits until the certificate is issued (create the validation record the output shows).
resource "aws_acm_certificate_validation" "bare" {
  certificate_arn = aws_acm_certificate.bare.arn
}

resource "aws_acm_certificate" "gateway" {
  domain_name       = "api.example.com"
  validation_method = "DNS"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "gateway_validation" {
  for_each = {
    for o in aws_acm_certificate.gateway.domain_validation_options : o.domain_name => o
  }

  zone_id         = data.aws_route53_zone.example_com.zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

# Waits until the certificate is issued.
resource "aws_acm_certificate_validation" "gateway" {
  certificate_arn         = aws_acm_certificate.gateway.arn
  validation_record_fqdns = [for r in aws_route53_record.gateway_validation : r.fqdn]
}

resource "aws_route53_record" "web" {
  zone_id = data.aws_route53_zone.example_com.zone_id
  name    = "shop.example.com"
  type    = "A"

  alias {
    name                   = aws_lb.web.dns_name
    zone_id                = aws_lb.web.zone_id
    evaluate_target_health = true
  }
}

resource "aws_apigatewayv2_domain_name" "bare" {
  domain_name = "bare.example.net"

  domain_name_configuration {
    certificate_arn = aws_acm_certificate_validation.bare.certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}

resource "aws_apigatewayv2_api_mapping" "bare" {
  api_id      = aws_apigatewayv2_api.bare.id
  domain_name = aws_apigatewayv2_domain_name.bare.id
  stage       = aws_apigatewayv2_stage.bare.id
}

resource "aws_apigatewayv2_domain_name" "gateway" {
  domain_name = "api.example.com"

  domain_name_configuration {
    certificate_arn = aws_acm_certificate_validation.gateway.certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}

resource "aws_apigatewayv2_api_mapping" "gateway" {
  api_id      = aws_apigatewayv2_api.gateway.id
  domain_name = aws_apigatewayv2_domain_name.gateway.id
  stage       = aws_apigatewayv2_stage.gateway.id
}

resource "aws_route53_record" "gateway" {
  zone_id = data.aws_route53_zone.example_com.zone_id
  name    = "api.example.com"
  type    = "A"

  alias {
    name                   = aws_apigatewayv2_domain_name.gateway.domain_name_configuration[0].target_domain_name
    zone_id                = aws_apigatewayv2_domain_name.gateway.domain_name_configuration[0].hosted_zone_id
    evaluate_target_health = false
  }
}
