# VPC network (gcp): network foundations for the database and application templates.
variable "name" {
  type = string
}

variable "region" {
  type = string
}

variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "subnets" {
  type = list(object({
    name   = string
    cidr   = string
    public = optional(bool, false)
  }))
  default = [
    { name = "public", cidr = "10.0.1.0/24", public = true },
    { name = "private", cidr = "10.0.2.0/24", public = false },
  ]
}

resource "terraform_data" "network" {
  input = {
    name   = var.name
    region = var.region
    cidr   = var.cidr
  }
}

resource "terraform_data" "subnet" {
  for_each = { for s in var.subnets : s.name => s }
  input    = merge(each.value, { network = terraform_data.network.id })
}

output "network_id" {
  description = "Id of the network, for the templates placed in it"
  value       = "gcp-net-${substr(terraform_data.network.id, 0, 8)}"
}

output "subnet_ids" {
  description = "Ids of the subnets, comma-separated in name order"
  value       = join(",", [for name in sort(keys(terraform_data.subnet)) : "gcp-subnet-${substr(terraform_data.subnet[name].id, 0, 8)}"])
}
