# www.sink.example.com: a global external Application Load Balancer in front of Cloud Run. The host's
# A record points at the address (output site_address); a managed certificate is issued
# once it resolves.
resource "google_compute_global_address" "site" {
  name = "site-address"
}


resource "google_compute_ssl_policy" "site" {
  name            = "site-tls"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
}

# allow_from: only these sources reach www.sink.example.com; everyone else gets 403.
resource "google_compute_security_policy" "site" {
  name        = "site-allow-from"
  description = "allow_from of ingress site"

  rule {
    action      = "deny(403)"
    priority    = 900
    description = "Log4j (CVE-2021-44228) probes"
    match {
      expr {
        expression = "evaluatePreconfiguredWaf('cve-canary')"
      }
    }
  }

  rule {
    action      = "allow"
    priority    = 1000
    description = "allow_from"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["198.51.100.0/24", "203.0.113.0/24"]
      }
    }
  }

  rule {
    action      = "deny(403)"
    priority    = 2147483647
    description = "everyone else"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
  }
}

resource "google_compute_region_network_endpoint_group" "site__api" {
  name                  = "site-api-neg"
  region                = var.region
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloud_run_v2_service.api.name
  }
}

resource "google_compute_backend_service" "site__api" {
  name                  = "site-api-backend"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"
  security_policy       = google_compute_security_policy.site.id

  backend {
    group = google_compute_region_network_endpoint_group.site__api.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

resource "google_compute_region_network_endpoint_group" "site__front" {
  name                  = "site-front-neg"
  region                = var.region
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloud_run_v2_service.front.name
  }
}

resource "google_compute_backend_service" "site__front" {
  name                  = "site-front-backend"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"
  security_policy       = google_compute_security_policy.site.id

  backend {
    group = google_compute_region_network_endpoint_group.site__front.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

resource "google_compute_url_map" "site" {
  name            = "site-routes"
  default_service = google_compute_backend_service.site__front.id

  host_rule {
    hosts        = ["www.sink.example.com"]
    path_matcher = "routes"
  }

  path_matcher {
    name            = "routes"
    default_service = google_compute_backend_service.site__front.id

    path_rule {
      paths   = ["/api", "/api/*"]
      service = google_compute_backend_service.site__api.id
    }
  }
}

resource "google_compute_target_https_proxy" "site" {
  name             = "site-https"
  url_map          = google_compute_url_map.site.id
  ssl_certificates = ["projects/sink-project/global/sslCertificates/www-sink"]
  ssl_policy       = google_compute_ssl_policy.site.id
}

resource "google_compute_global_forwarding_rule" "site" {
  name                  = "site-https"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.site.id
  port_range            = "443"
  target                = google_compute_target_https_proxy.site.id
}

# Plain HTTP only redirects to HTTPS.
resource "google_compute_url_map" "site__redirect" {
  name = "site-redirect"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

resource "google_compute_target_http_proxy" "site" {
  name    = "site-http"
  url_map = google_compute_url_map.site__redirect.id
}

resource "google_compute_global_forwarding_rule" "site__redirect" {
  name                  = "site-http"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.site.id
  port_range            = "80"
  target                = google_compute_target_http_proxy.site.id
}
