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

variable "audit_cpu" {
  description = "CPU units (1024 = 1 vCPU) of job audit"
  type        = number
  default     = 256
}

variable "audit_memory" {
  description = "Memory (MiB) of job audit"
  type        = number
  default     = 512
}

variable "audit_image_tag" {
  description = "Image tag of service audit"
  type        = string
  default     = "1.0.0"
}

variable "click_counter_cpu" {
  description = "CPU units (1024 = 1 vCPU) of job click-counter"
  type        = number
  default     = 256
}

variable "click_counter_memory" {
  description = "Memory (MiB) of job click-counter"
  type        = number
  default     = 512
}

variable "click_counter_image_tag" {
  description = "Image tag of service click-counter"
  type        = string
  default     = "1.0.0"
}

variable "mailer_cpu" {
  description = "CPU units (1024 = 1 vCPU) of job mailer"
  type        = number
  default     = 256
}

variable "mailer_memory" {
  description = "Memory (MiB) of job mailer"
  type        = number
  default     = 512
}

variable "mailer_image_tag" {
  description = "Image tag of service mailer"
  type        = string
  default     = "1.0.0"
}

variable "nightly_cpu" {
  description = "CPU units (1024 = 1 vCPU) of job nightly"
  type        = number
  default     = 256
}

variable "nightly_memory" {
  description = "Memory (MiB) of job nightly"
  type        = number
  default     = 512
}

variable "nightly_image_tag" {
  description = "Image tag of service nightly"
  type        = string
  default     = "1.0.0"
}

variable "order_worker_cpu" {
  description = "CPU units (1024 = 1 vCPU) of job order-worker"
  type        = number
  default     = 256
}

variable "order_worker_memory" {
  description = "Memory (MiB) of job order-worker"
  type        = number
  default     = 512
}

variable "order_worker_image_tag" {
  description = "Image tag of service order-worker"
  type        = string
  default     = "1.0.0"
}

variable "thumbnailer_cpu" {
  description = "CPU units (1024 = 1 vCPU) of job thumbnailer"
  type        = number
  default     = 256
}

variable "thumbnailer_memory" {
  description = "Memory (MiB) of job thumbnailer"
  type        = number
  default     = 512
}

variable "thumbnailer_image_tag" {
  description = "Image tag of service thumbnailer"
  type        = string
  default     = "1.0.0"
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps service, access and flow logs"
  type        = number
  default     = 365
}
