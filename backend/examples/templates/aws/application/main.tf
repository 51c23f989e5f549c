# ECS service (aws).
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

variable "vpc_id" {
  type    = string
  default = ""
}

variable "db_endpoint" {
  type    = string
  default = ""
}

variable "db_connection_string" {
  type      = string
  default   = ""
  sensitive = true
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
    vpc_id   = var.vpc_id
    database = var.db_endpoint
  }
}

resource "terraform_data" "database_credentials" {
  input = sha256(var.db_connection_string)
}

output "url" {
  description = "Public URL of the service"
  value       = var.public ? "https://${var.name}.aws.example.test" : null
}

output "replicas" {
  value = var.replicas
}

output "db_endpoint" {
  description = "The database the service connects to"
  value       = var.db_endpoint
}
