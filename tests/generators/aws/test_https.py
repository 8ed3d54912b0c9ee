"""HTTPS and names on AWS: certificates, the HTTPS listener and its redirect, Route 53 aliases,
API custom domains and load balancer access logs, in both formats."""

from __future__ import annotations

from typing import Any

from tests.generators.aws.support import call_argument, cloudformation, render_example, resources

SINK = "aws-data-kitchen-sink"


def _blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """python-hcl2's nested blocks without its marker key."""
    return [{k: v for k, v in b.items() if k != "__is_block__"} for b in blocks]


TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"


def test_a_managed_certificate_is_validated_in_its_zone() -> None:
    files = render_example(SINK)
    certs = resources(files, "aws_acm_certificate")
    assert sorted(certs) == ["bare", "gateway", "web"]  # partner names an existing one
    assert certs["web"]["domain_name"] == "shop.example.com"
    assert certs["web"]["validation_method"] == "DNS"
    validation = resources(files, "aws_route53_record")["web_validation"]
    assert validation["zone_id"] == "${data.aws_route53_zone.example_com.zone_id}"
    checks = resources(files, "aws_acm_certificate_validation")
    assert "validation_record_fqdns" in checks["web"]
    assert "validation_record_fqdns" not in checks["bare"]  # no zone: records are an output


def test_https_listener_with_a_modern_policy_and_a_redirect_only_on_80() -> None:
    files = render_example(SINK)
    listeners = resources(files, "aws_lb_listener")
    https = listeners["web_443"]
    assert (https["protocol"], https["ssl_policy"], https["certificate_arn"]) == (
        "HTTPS",
        TLS_POLICY,
        "${aws_acm_certificate_validation.web.certificate_arn}",
    )
    partner = listeners["partner_443"]
    assert partner["certificate_arn"].startswith("arn:aws:acm:eu-west-2:123456789012:")
    redirect = listeners["web_http_redirect"]
    assert (redirect["port"], redirect["protocol"]) == (80, "HTTP")
    (action,) = redirect["default_action"]
    assert action["type"] == "redirect"
    assert _blocks(action["redirect"]) == [
        {"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}
    ]
    assert "target_group_arn" not in action


def test_the_host_is_an_alias_of_its_load_balancer_or_api_domain() -> None:
    files = render_example(SINK)
    records = resources(files, "aws_route53_record")
    web = records["web"]
    assert (web["name"], web["type"]) == ("shop.example.com", "A")
    assert _blocks(web["alias"]) == [
        {
            "name": "${aws_lb.web.dns_name}",
            "zone_id": "${aws_lb.web.zone_id}",
            "evaluate_target_health": True,
        }
    ]
    gateway = records["gateway"]
    assert gateway["name"] == "api.example.com"
    domains = resources(files, "aws_apigatewayv2_domain_name")
    assert sorted(domains) == ["bare", "gateway"]
    config = domains["gateway"]["domain_name_configuration"][0]
    assert (config["endpoint_type"], config["security_policy"]) == ("REGIONAL", "TLS_1_2")
    mappings = resources(files, "aws_apigatewayv2_api_mapping")
    assert mappings["gateway"]["stage"] == "${aws_apigatewayv2_stage.gateway.id}"
    apis = resources(files, "aws_apigatewayv2_api")
    assert apis["gateway"]["disable_execute_api_endpoint"] is True
    assert "bare" not in records  # no zone declared: nothing to write a record in


def test_application_load_balancers_log_to_the_log_bucket() -> None:
    files = render_example(SINK)
    web = resources(files, "aws_lb")["web"]
    assert _blocks(web["access_logs"]) == [
        {"bucket": "${aws_s3_bucket.access_logs.id}", "prefix": "lb/web", "enabled": True}
    ]
    policy = call_argument(resources(files, "aws_s3_bucket_policy")["access_logs"]["policy"])
    delivery = next(s for s in policy["Statement"] if s["Sid"] == "LoadBalancerAccessLogsDelivery")
    # eu-west-2's Elastic Load Balancing account writes the logs, under each balancer's prefix.
    assert delivery["Principal"] == {
        "AWS": ["arn:${data.aws_partition.current.partition}:iam::652711504416:root"]
    }
    assert delivery["Resource"] == [
        "${aws_s3_bucket.access_logs.arn}/lb/partner/AWSLogs/"
        "${data.aws_caller_identity.current.account_id}/*",
        "${aws_s3_bucket.access_logs.arn}/lb/web/AWSLogs/"
        "${data.aws_caller_identity.current.account_id}/*",
    ]


def test_the_redirect_port_is_open_where_443_is_and_nowhere_else() -> None:
    files = render_example("aws-three-tier")
    rules = resources(files, "aws_vpc_security_group_ingress_rule")
    web_open = sorted(
        (r["from_port"], r["cidr_ipv4"])
        for r in rules.values()
        if r["security_group_id"] == "${aws_security_group.web_lb.id}" and "cidr_ipv4" in r
    )
    assert web_open == [(80, "0.0.0.0/0"), (443, "0.0.0.0/0")]
    internal_open = [
        r
        for r in rules.values()
        if r["security_group_id"] == "${aws_security_group.internal_lb.id}" and "cidr_ipv4" in r
    ]
    assert internal_open == []


def _resources_of(template: dict[str, Any], rtype: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == rtype}


def test_cloudformation_spells_the_same_https() -> None:
    template = cloudformation(render_example(SINK))
    assert template["Parameters"]["ExampleComHostedZoneId"]["Type"] == (
        "AWS::Route53::HostedZone::Id"
    )
    cert = template["Resources"]["WebCertificate"]["Properties"]
    assert cert["DomainValidationOptions"] == [
        {"DomainName": "shop.example.com", "HostedZoneId": {"Ref": "ExampleComHostedZoneId"}}
    ]
    listener = template["Resources"]["Web443Listener"]["Properties"]
    assert (listener["Protocol"], listener["SslPolicy"], listener["Certificates"]) == (
        "HTTPS",
        TLS_POLICY,
        [{"CertificateArn": {"Ref": "WebCertificate"}}],
    )
    redirect = template["Resources"]["WebHttpRedirectListener"]["Properties"]
    assert redirect["DefaultActions"][0]["RedirectConfig"]["Protocol"] == "HTTPS"
    record = template["Resources"]["WebRecord"]["Properties"]
    assert record["AliasTarget"]["DNSName"] == {"Fn::GetAtt": ["WebLb", "DNSName"]}
    domains = _resources_of(template, "AWS::ApiGatewayV2::DomainName")
    assert sorted(domains) == ["BareApiDomain", "GatewayApiDomain"]
    lb = template["Resources"]["WebLb"]
    assert lb["DependsOn"] == ["AccessLogsBucketPolicy"]
    attributes = {a["Key"]: a["Value"] for a in lb["Properties"]["LoadBalancerAttributes"]}
    assert attributes["access_logs.s3.prefix"] == "lb/web"
