variable "web_replicas" {
  description = "Desired number of tasks of service web"
  type        = number
  default     = 3
}

variable "web_cpu" {
  description = "CPU units (1024 = 1 vCPU) of service web"
  type        = number
  default     = 512
}

variable "web_memory" {
  description = "Memory (MiB) of service web"
  type        = number
  default     = 1024
}

variable "web_image_tag" {
  description = "Image tag of service web"
  type        = string
  default     = "1.4.2"
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps service, access and flow logs"
  type        = number
  default     = 365
}
