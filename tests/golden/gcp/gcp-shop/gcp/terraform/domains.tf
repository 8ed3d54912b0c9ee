# shop.example.com: a global external Application Load Balancer in front of Cloud Run. The host's
# A record points at the address (output storefront_address); a managed certificate is issued
# once it resolves.
resource "google_compute_global_address" "storefront" {
  name = "storefront-address"
}

resource "google_compute_managed_ssl_certificate" "storefront" {
  name = "storefront-certificate"

  managed {
    domains = ["shop.example.com"]
  }
}

# The host's A record, in the Cloud DNS zone of example.com (found by its DNS name).
data "google_dns_managed_zones" "storefront" {}

resource "google_dns_record_set" "storefront__host" {
  managed_zone = one([for z in data.google_dns_managed_zones.storefront.managed_zones : z.name if z.dns_name == "example.com."])
  name         = "shop.example.com."
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.storefront.address]
}

resource "google_compute_ssl_policy" "storefront" {
  name            = "storefront-tls"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
}

resource "google_compute_region_network_endpoint_group" "storefront__web" {
  name                  = "storefront-web-neg"
  region                = var.region
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloud_run_v2_service.web.name
  }
}

resource "google_compute_backend_service" "storefront__web" {
  name                  = "storefront-web-backend"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"

  backend {
    group = google_compute_region_network_endpoint_group.storefront__web.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

resource "google_compute_url_map" "storefront" {
  name            = "storefront-routes"
  default_service = google_compute_backend_service.storefront__web.id

  host_rule {
    hosts        = ["shop.example.com"]
    path_matcher = "routes"
  }

  path_matcher {
    name            = "routes"
    default_service = google_compute_backend_service.storefront__web.id
  }
}

resource "google_compute_target_https_proxy" "storefront" {
  name             = "storefront-https"
  url_map          = google_compute_url_map.storefront.id
  ssl_certificates = [google_compute_managed_ssl_certificate.storefront.id]
  ssl_policy       = google_compute_ssl_policy.storefront.id
}

resource "google_compute_global_forwarding_rule" "storefront" {
  name                  = "storefront-https"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.storefront.id
  port_range            = "443"
  target                = google_compute_target_https_proxy.storefront.id
}

# Plain HTTP only redirects to HTTPS.
resource "google_compute_url_map" "storefront__redirect" {
  name = "storefront-redirect"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

resource "google_compute_target_http_proxy" "storefront" {
  name    = "storefront-http"
  url_map = google_compute_url_map.storefront__redirect.id
}

resource "google_compute_global_forwarding_rule" "storefront__redirect" {
  name                  = "storefront-http"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.storefront.id
  port_range            = "80"
  target                = google_compute_target_http_proxy.storefront.id
}
