terraform {
  required_providers {
    modelarts = {
      # The local mirror address used by `make install`. A registry release would be e.g.
      # "registry.terraform.io/<namespace>/modelarts" (written "<namespace>/modelarts").
      source  = "terraform.local/local/modelarts"
      version = "~> 0.1"
    }
  }
}

# Credentials come from HW_ACCESS_KEY / HW_SECRET_KEY (or HW_AUTH_TOKEN); region and project from
# HW_REGION_NAME / HW_PROJECT_ID. Anything set here wins over the environment.
provider "modelarts" {
  region     = "cn-north-4"
  project_id = var.project_id
}

variable "project_id" {
  description = "The IAM project ID of cn-north-4."
  type        = string
}
