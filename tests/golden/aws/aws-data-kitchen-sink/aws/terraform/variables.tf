variable "api_replicas" {
  description = "Desired number of tasks of service api"
  type        = number
  default     = 1
}

variable "api_cpu" {
  description = "CPU units (1024 = 1 vCPU) of service api"
  type        = number
  default     = 256
}

variable "api_memory" {
  description = "Memory (MiB) of service api"
  type        = number
  default     = 512
}

variable "api_image_tag" {
  description = "Image tag of service api"
  type        = string
  default     = "1.0.0"
}

variable "app_replicas" {
  description = "Desired number of tasks of service app"
  type        = number
  default     = 1
}

variable "app_cpu" {
  description = "CPU units (1024 = 1 vCPU) of service app"
  type        = number
  default     = 256
}

variable "app_memory" {
  description = "Memory (MiB) of service app"
  type        = number
  default     = 512
}

variable "app_image_tag" {
  description = "Image tag of service app"
  type        = string
  default     = "1.0.0"
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps service, access and flow logs"
  type        = number
  default     = 365
}
