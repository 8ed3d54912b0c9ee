variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps service, access and flow logs"
  type        = number
  default     = 365
}

variable "console_pgp_key" {
  description = "PGP public key (base64) or keybase:user that encrypts first console passwords in the state"
  type        = string
  default     = null
}
