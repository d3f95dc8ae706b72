provider "modelarts" {
  region     = var.region
  project_id = var.project_id
  access_key = var.access_key
  secret_key = var.secret_key
  endpoints  = var.endpoint == "" ? {} : { modelarts = var.endpoint }
}

resource "modelarts_notebook" "quickstart" {
  name        = var.notebook_name
  description = "Created by the quickstart example"
  flavor      = var.flavor
  image_id    = var.image_id

  volume {
    category = "EVS"
    size     = var.storage_size
  }
}
