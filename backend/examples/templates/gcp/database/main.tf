# Cloud SQL PostgreSQL (gcp).
variable "name" {
  type = string
}

variable "region" {
  type = string
}

variable "engine_version" {
  type    = string
  default = "16"
}

variable "storage_gb" {
  type    = number
  default = 20
}

variable "admin_password" {
  type      = string
  sensitive = true
}

variable "high_availability" {
  type    = bool
  default = false
}

variable "network_id" {
  type    = string
  default = ""
}

variable "subnet_ids" {
  type    = string
  default = ""
}

variable "fail_apply" {
  type    = bool
  default = false
}

resource "terraform_data" "instance" {
  input = {
    name              = var.name
    region            = var.region
    engine_version    = var.engine_version
    storage_gb        = var.storage_gb
    high_availability = var.high_availability
    network_id        = var.network_id
    subnet_ids        = var.subnet_ids
  }
}

resource "terraform_data" "admin_credentials" {
  input = sha256(var.admin_password)
}

# Lets a demo break this step on purpose; switch it off again and the next run succeeds.
resource "terraform_data" "failure_switch" {
  count = var.fail_apply ? 1 : 0

  provisioner "local-exec" {
    command = "echo 'simulated failure: fail_apply is true' >&2; exit 1"
  }
}

output "endpoint" {
  description = "Host and port applications connect to"
  value       = "${var.name}.gcp-db.internal:5432"
}

output "connection_string" {
  description = "Full connection string, with the administrator password"
  value       = "postgresql://admin:${var.admin_password}@${var.name}.gcp-db.internal:5432/postgres"
  sensitive   = true
}
