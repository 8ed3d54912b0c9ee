resource "google_compute_network" "core" {
  name                    = "core"
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"
}

# Cloud Run requests never enter through the VPC, so nothing in it accepts connections from
# outside: the implied deny, made explicit and logged.
resource "google_compute_firewall" "core" {
  name          = "core-deny-ingress"
  network       = google_compute_network.core.id
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

resource "google_compute_subnetwork" "apps" {
  name                     = "apps"
  network                  = google_compute_network.core.id
  region                   = var.region
  ip_cidr_range            = "10.30.0.0/24"
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_subnetwork" "direct" {
  name                     = "direct"
  network                  = google_compute_network.core.id
  region                   = var.region
  ip_cidr_range            = "10.30.2.0/24"
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_subnetwork" "dmz" {
  name                     = "dmz"
  network                  = google_compute_network.core.id
  region                   = var.region
  ip_cidr_range            = "10.30.1.0/24"
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_router" "core" {
  name    = "core-router"
  network = google_compute_network.core.id
  region  = var.region
}

# Subnets whose egress is "nat" reach the internet through Cloud NAT; the others cannot.
resource "google_compute_router_nat" "core" {
  name                               = "core-nat"
  router                             = google_compute_router.core.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"

  subnetwork {
    name                    = google_compute_subnetwork.apps.id
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
resource "google_dns_managed_zone" "core__run_app" {
  name        = "core-run-app"
  dns_name    = "run.app."
  description = "run.app through Private Google Access for network core"
  visibility  = "private"
  labels      = merge(var.labels, { "blueprint" = "kitchen-sink" })

  private_visibility_config {
    networks {
      network_url = google_compute_network.core.id
    }
  }
}

resource "google_dns_record_set" "core__run_app" {
  managed_zone = google_dns_managed_zone.core__run_app.name
  name         = "*.run.app."
  type         = "A"
  ttl          = 300
  rrdatas      = ["199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"]
}
