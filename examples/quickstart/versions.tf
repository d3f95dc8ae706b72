terraform {
  required_version = ">= 1.0"
  required_providers {
    modelarts = {
      source  = "terraform.local/local/modelarts"
      version = "~> 0.1"
    }
  }
}
