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

resource "google_compute_subnetwork" "edge_a" {
  name                     = "edge-a"
  network                  = google_compute_network.core.id
  region                   = var.region
  ip_cidr_range            = "10.8.1.0/24"
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_subnetwork" "run_a" {
  name                     = "run-a"
  network                  = google_compute_network.core.id
  region                   = var.region
  ip_cidr_range            = "10.8.0.0/24"
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
    name                    = google_compute_subnetwork.run_a.id
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}
