resource "google_compute_network" "shop" {
  name                    = "shop"
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"
}

# Cloud Run requests never enter through the VPC, so nothing in it accepts connections from
# outside: the implied deny, made explicit and logged.
resource "google_compute_firewall" "shop" {
  name          = "shop-deny-ingress"
  network       = google_compute_network.shop.id
  direction     = "INGRESS"
  priority      = 65534
  source_ranges = ["0.0.0.0/0"]

  deny {
    protocol = "all"
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_subnetwork" "edge" {
  name                     = "edge"
  network                  = google_compute_network.shop.id
  region                   = var.region
  ip_cidr_range            = "10.20.1.0/24"
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_subnetwork" "run" {
  name                     = "run"
  network                  = google_compute_network.shop.id
  region                   = var.region
  ip_cidr_range            = "10.20.0.0/24"
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_router" "shop" {
  name    = "shop-router"
  network = google_compute_network.shop.id
  region  = var.region
}

# Subnets whose egress is "nat" reach the internet through Cloud NAT; the others cannot.
resource "google_compute_router_nat" "shop" {
  name                               = "shop-nat"
  router                             = google_compute_router.shop.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"

  subnetwork {
    name                    = google_compute_subnetwork.run.id
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}

# Callers with private-ranges-only egress reach internal Cloud Run services through the VPC:
# run.app resolves to the Private Google Access addresses (private.googleapis.com), which
# Direct VPC egress routes into the network, where Private Google Access carries them.
resource "google_dns_managed_zone" "shop__run_app" {
  name        = "shop-run-app"
  dns_name    = "run.app."
  description = "run.app through Private Google Access for network shop"
  visibility  = "private"
  labels      = merge(var.labels, { "blueprint" = "gcp-shop" })

  private_visibility_config {
    networks {
      network_url = google_compute_network.shop.id
    }
  }
}

resource "google_dns_record_set" "shop__run_app" {
  managed_zone = google_dns_managed_zone.shop__run_app.name
  name         = "*.run.app."
  type         = "A"
  ttl          = 300
  rrdatas      = ["199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"]
}
