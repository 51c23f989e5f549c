# Apply recorder (aws) for the chaos harness (backend/harness, the chaos verb): every create or update sends one line
# "<name> <run marker> <timestamp>" to the harness (<record_url>/<name>), which appends it to a record file,
# so the harness can count applies. Template code runs sandboxed and cannot write outside its run
# directory: the network is its only way out. Runs offline: terraform_data and local-exec need no provider.
variable "name" {
  type = string
}

variable "region" {
  type = string
}

variable "record_url" {
  type = string
}

# Bump it to make the next plan replace the resource (and record a new apply).
variable "generation" {
  type    = string
  default = "1"
}

# Stretch the apply (and a destroy), so faults can land while it runs.
variable "apply_delay_seconds" {
  type    = number
  default = 0
}

# Stretches the plan: a remote state read from a URL that answers slowly (the chaos harness serves one on
# the loopback address). Empty: no read, no delay.
variable "plan_delay_url" {
  type    = string
  default = ""
}

data "terraform_remote_state" "plan_delay" {
  count   = var.plan_delay_url == "" ? 0 : 1
  backend = "http"
  config = {
    address = var.plan_delay_url
  }
}

resource "terraform_data" "record" {
  triggers_replace = var.generation
  input = {
    name          = var.name
    region        = var.region
    generation    = var.generation
    destroy_delay = var.apply_delay_seconds
  }

  # The engine runs terraform in a fresh directory named "<run id without dashes>-…": its first 32
  # characters identify the deployment run that applies. The line is appended once the delay is over.
  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    command     = <<-SH
      sleep "$DELAY"
      run=$(basename "$PWD" | cut -c1-32)
      printf '%s %s %s\n' "$NAME" "$run/$GENERATION" "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" \
        | curl -fsS --max-time 10 --data-binary @- "$RECORD_URL/$NAME"
    SH
    environment = {
      NAME       = var.name
      GENERATION = var.generation
      RECORD_URL = var.record_url
      DELAY      = tostring(var.apply_delay_seconds)
    }
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["/bin/sh", "-c"]
    command     = "sleep ${self.input.destroy_delay}"
  }
}

output "generation" {
  value = terraform_data.record.output.generation
}
