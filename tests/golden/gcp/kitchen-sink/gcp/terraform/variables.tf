variable "project" {
  description = "The GCP project ID the system is deployed to."
  type        = string
  default     = "sink-project"
}

variable "region" {
  description = "The region of the Cloud Run services, the Artifact Registry repositories and the subnetworks."
  type        = string
  default     = "europe-west1"
}

variable "labels" {
  description = "Labels added to every labelled resource (environment, team, cost centre...)."
  type        = map(string)
  default     = {}
}

variable "deletion_protection" {
  description = "Refuse to destroy the Cloud Run services; turn off only in disposable environments."
  type        = bool
  default     = true
}
