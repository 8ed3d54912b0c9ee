"""HTTPS and names in CloudFormation: ACM certificates (DNS validation in the hosted zone a
parameter names), Route 53 aliases for the hosts, API Gateway custom domains."""

from __future__ import annotations

from generators.aws.cloudformation.template import Json, Template, cfn, get_att, ref
from generators.aws.naming import cfn_id
from generators.aws.plan.https import CertificatePlan, zones
from generators.aws.plan.records import ApiPlan


def render_https(t: Template) -> None:
    for zone in zones(t.s.certificates):
        # CloudFormation cannot look a zone up by name: the deployment says which it is.
        t.parameters[zone.id.cfn] = {
            "Type": "AWS::Route53::HostedZone::Id",
            "Description": f"Route 53 public hosted zone of {zone.id.name}",
        }
    for cert in t.s.certificates:
        if cert.managed:
            _certificate(t, cert)
    for lb in t.s.load_balancers:
        if lb.certificate is not None and lb.certificate.zone is not None:
            _alias(
                t,
                cfn_id(lb.key, "record"),
                lb.certificate,
                get_att(lb.id, "DNSName"),
                get_att(lb.id, "CanonicalHostedZoneID"),
                evaluate=True,
            )
    for api in t.s.apis:
        if api.certificate is not None:
            _custom_domain(t, api, api.certificate)


def _certificate(t: Template, cert: CertificatePlan) -> None:
    props: Json = {
        "DomainName": cert.host,
        "ValidationMethod": "DNS",
        "CertificateTransparencyLoggingPreference": "ENABLED",
    }
    if cert.zone is not None:
        props["DomainValidationOptions"] = [
            {"DomainName": cert.host, "HostedZoneId": ref(cert.zone.id.cfn)}
        ]
    t.add(cert.id.cfn, "AWS::CertificateManager::Certificate", props)
    t.output(cfn_id(cert.id.cfn, "arn"), f"ACM certificate of {cert.host}", ref(cert.id))


def _alias(
    t: Template, logical: str, cert: CertificatePlan, dns: Json, zone_id: Json, *, evaluate: bool
) -> None:
    assert cert.zone is not None
    t.add(
        logical,
        "AWS::Route53::RecordSet",
        {
            "HostedZoneId": ref(cert.zone.id.cfn),
            "Name": cert.host,
            "Type": "A",
            "AliasTarget": {
                "DNSName": dns,
                "HostedZoneId": zone_id,
                "EvaluateTargetHealth": evaluate,
            },
        },
    )


def _custom_domain(t: Template, api: ApiPlan, cert: CertificatePlan) -> None:
    domain = cfn_id(api.id.cfn, "domain")
    t.add(
        domain,
        "AWS::ApiGatewayV2::DomainName",
        {
            "DomainName": cert.host,
            "DomainNameConfigurations": [
                {
                    "CertificateArn": cfn(cert.arn),
                    "EndpointType": "REGIONAL",
                    "SecurityPolicy": "TLS_1_2",
                }
            ],
        },
    )
    t.add(
        cfn_id(api.id.cfn, "mapping"),
        "AWS::ApiGatewayV2::ApiMapping",
        {
            "ApiId": ref(api.id),
            "DomainName": ref(domain),
            "Stage": ref(cfn_id(api.id.cfn, "stage")),
        },
    )
    if cert.zone is not None:
        _alias(
            t,
            cfn_id(api.key, "record"),
            cert,
            get_att(domain, "RegionalDomainName"),
            get_att(domain, "RegionalHostedZoneId"),
            evaluate=False,
        )
    t.output(cfn_id(api.id.cfn, "url"), f"Custom domain of {api.key}", f"https://{cert.host}/")
