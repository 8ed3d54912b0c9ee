variable "collectors_replicas" {
  description = "Desired number of tasks of service collectors"
  type        = number
  default     = 2
}

variable "collectors_cpu" {
  description = "CPU units (1024 = 1 vCPU) of service collectors"
  type        = number
  default     = 256
}

variable "collectors_memory" {
  description = "Memory (MiB) of service collectors"
  type        = number
  default     = 512
}

variable "collectors_image_tag" {
  description = "Image tag of service collectors"
  type        = string
  default     = "1.0.0"
}

variable "worker1_cpu" {
  description = "CPU units (1024 = 1 vCPU) of job worker1"
  type        = number
  default     = 256
}

variable "worker1_memory" {
  description = "Memory (MiB) of job worker1"
  type        = number
  default     = 512
}

variable "worker1_image_tag" {
  description = "Image tag of service worker1"
  type        = string
  default     = "1.0.0"
}

variable "worker2_cpu" {
  description = "CPU units (1024 = 1 vCPU) of job worker2"
  type        = number
  default     = 256
}

variable "worker2_memory" {
  description = "Memory (MiB) of job worker2"
  type        = number
  default     = 512
}

variable "worker2_image_tag" {
  description = "Image tag of service worker2"
  type        = string
  default     = "1.0.0"
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps service, access and flow logs"
  type        = number
  default     = 365
}
