# Cloud Run service (gcp).
variable "name" {
  type = string
}

variable "region" {
  type = string
}

variable "image" {
  type = string
}

variable "replicas" {
  type    = number
  default = 2
}

variable "size" {
  type    = string
  default = "small"
}

variable "public" {
  type    = bool
  default = true
}

variable "environment" {
  type = list(object({
    name  = string
    value = string
  }))
  default = []
}

resource "terraform_data" "service" {
  input = {
    name     = var.name
    region   = var.region
    image    = var.image
    replicas = var.replicas
    size     = var.size
    public   = var.public
    env      = { for e in var.environment : e.name => e.value }
  }
}

output "url" {
  value = var.public ? "https://${var.name}.gcp.example.test" : null
}

output "replicas" {
  value = var.replicas
}
