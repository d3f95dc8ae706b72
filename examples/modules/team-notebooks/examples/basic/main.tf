# Uses the team-notebooks module against a local emulator (the defaults) or the real cloud.
terraform {
  required_providers {
    modelarts = {
      source  = "terraform.local/local/modelarts"
      version = "~> 0.1"
    }
  }
}

variable "endpoint" {
  description = "Base URL of the ModelArts API; empty for the real cloud's default endpoint."
  type        = string
  default     = "http://127.0.0.1:8080"
}

provider "modelarts" {
  region     = "cn-north-4"
  project_id = "0123456789abcdef0123456789abcdef"
  access_key = "MAEMULATORDEMOAK0001"
  secret_key = "maEmulatorDemoSecretKey0000000000000001"
  endpoints  = var.endpoint == "" ? {} : { modelarts = var.endpoint }
}

module "data_team" {
  source = "../.."

  team          = "data"
  members       = ["alice", "bob", "carol"]
  image_id      = "f3e33ba5-c084-49ca-81d0-eeb345a8a0a5"
  flavor        = "modelarts.vm.cpu.2u"
  storage_size  = 10
  desired_state = "RUNNING"
}

output "notebook_ids" {
  value = module.data_team.notebook_ids
}

output "urls" {
  value = module.data_team.urls
}
