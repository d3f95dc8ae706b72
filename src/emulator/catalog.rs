//! Built-in catalog: notebook flavors, images and dedicated pools, shaped like a cn-north-4 region.

use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// One NotebookFlavor (notebook-api.md §3.4.18). Memory is in MiB.
#[derive(Debug, Clone)]
pub struct Flavor {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// Lower case, as the flavor API writes it: `x86_64` or `aarch64`.
    pub arch: &'static str,
    pub category: &'static str,
    pub feature: &'static str,
    pub free: bool,
    pub sold_out: bool,
    pub storages: &'static [&'static str],
    pub vcpus: i64,
    pub memory_mib: i64,
    /// (count, memory, type)
    pub gpu: Option<(i64, &'static str, &'static str)>,
    /// (npu count, npu memory, type, chips)
    pub ascend: Option<(i64, &'static str, &'static str, i64)>,
    pub billing_code: &'static str,
    pub unit_num: i64,
}

impl Flavor {
    /// Image architecture spelling (`X86_64`/`AARCH64`) of this flavor.
    pub fn image_arch(&self) -> &'static str {
        if self.arch == "aarch64" {
            "AARCH64"
        } else {
            "X86_64"
        }
    }

    pub fn flavor_type(&self) -> Option<&'static str> {
        self.ascend.map(|(_, _, t, _)| t)
    }
}

const EVS_EFS: &[&str] = &["EVS", "EFS"];
const EVS: &[&str] = &["EVS"];

pub static FLAVORS: &[Flavor] = &[
    Flavor {
        id: "modelarts.vm.cpu.free",
        name: "CPU: 1vCPUs 4GB",
        description: "Free CPU flavor for trying out notebooks; stops after one hour.",
        arch: "x86_64",
        category: "CPU",
        feature: "NOTEBOOK",
        free: true,
        sold_out: false,
        storages: EVS,
        vcpus: 1,
        memory_mib: 4096,
        gpu: None,
        ascend: None,
        billing_code: "modelarts.vm.cpu.free",
        unit_num: 1,
    },
    Flavor {
        id: "modelarts.vm.cpu.2u",
        name: "CPU: 2vCPUs 8GB",
        description:
            "General computing-plus Intel CPU flavor, ideal for development and debugging.",
        arch: "x86_64",
        category: "CPU",
        feature: "NOTEBOOK",
        free: false,
        sold_out: false,
        storages: EVS_EFS,
        vcpus: 2,
        memory_mib: 8192,
        gpu: None,
        ascend: None,
        billing_code: "modelarts.vm.cpu.2u",
        unit_num: 1,
    },
    Flavor {
        id: "modelarts.vm.cpu.4u",
        name: "CPU: 4vCPUs 16GB",
        description:
            "General computing-plus Intel CPU flavor, ideal for compute-intensive applications.",
        arch: "x86_64",
        category: "CPU",
        feature: "NOTEBOOK",
        free: false,
        sold_out: false,
        storages: EVS_EFS,
        vcpus: 4,
        memory_mib: 16384,
        gpu: None,
        ascend: None,
        billing_code: "modelarts.vm.cpu.2u",
        unit_num: 2,
    },
    Flavor {
        id: "modelarts.vm.cpu.8u",
        name: "CPU: 8vCPUs 32GB",
        description:
            "General computing-plus Intel CPU flavor, ideal for compute-intensive applications.",
        arch: "x86_64",
        category: "CPU",
        feature: "NOTEBOOK",
        free: false,
        sold_out: false,
        storages: EVS_EFS,
        vcpus: 8,
        memory_mib: 32768,
        gpu: None,
        ascend: None,
        billing_code: "modelarts.vm.cpu.2u",
        unit_num: 4,
    },
    Flavor {
        id: "modelarts.vm.cpu.16u",
        name: "CPU: 16vCPUs 64GB",
        description: "General computing-plus Intel CPU flavor for large data preparation.",
        arch: "x86_64",
        category: "CPU",
        feature: "NOTEBOOK",
        free: false,
        sold_out: true,
        storages: EVS_EFS,
        vcpus: 16,
        memory_mib: 65536,
        gpu: None,
        ascend: None,
        billing_code: "modelarts.vm.cpu.2u",
        unit_num: 8,
    },
    Flavor {
        id: "modelarts.vm.cpu.arm.4u",
        name: "ARM: 4vCPUs 16GB",
        description: "Kunpeng ARM CPU flavor.",
        arch: "aarch64",
        category: "CPU",
        feature: "NOTEBOOK",
        free: false,
        sold_out: false,
        storages: EVS_EFS,
        vcpus: 4,
        memory_mib: 16384,
        gpu: None,
        ascend: None,
        billing_code: "modelarts.vm.cpu.arm.4u",
        unit_num: 1,
    },
    Flavor {
        id: "modelarts.vm.cpu.arm.8u",
        name: "ARM: 8vCPUs 32GB",
        description: "Kunpeng ARM CPU flavor.",
        arch: "aarch64",
        category: "CPU",
        feature: "NOTEBOOK",
        free: false,
        sold_out: false,
        storages: EVS_EFS,
        vcpus: 8,
        memory_mib: 32768,
        gpu: None,
        ascend: None,
        billing_code: "modelarts.vm.cpu.arm.4u",
        unit_num: 2,
    },
    Flavor {
        id: "modelarts.vm.gpu.t4",
        name: "GPU: 1*T4(16GB) | CPU: 8vCPUs 32GB",
        description: "NVIDIA T4 GPU flavor for inference and light training.",
        arch: "x86_64",
        category: "GPU",
        feature: "NOTEBOOK",
        free: false,
        sold_out: false,
        storages: EVS_EFS,
        vcpus: 8,
        memory_mib: 32768,
        gpu: Some((1, "16GB", "T4")),
        ascend: None,
        billing_code: "modelarts.vm.gpu.t4",
        unit_num: 1,
    },
    Flavor {
        id: "modelarts.vm.gpu.v100",
        name: "GPU: 1*V100(32GB) | CPU: 8vCPUs 64GB",
        description: "NVIDIA V100 GPU flavor for deep learning training.",
        arch: "x86_64",
        category: "GPU",
        feature: "NOTEBOOK",
        free: false,
        sold_out: false,
        storages: EVS_EFS,
        vcpus: 8,
        memory_mib: 65536,
        gpu: Some((1, "32GB", "V100")),
        ascend: None,
        billing_code: "modelarts.vm.gpu.v100",
        unit_num: 1,
    },
    Flavor {
        id: "modelarts.vm.gpu.2v100",
        name: "GPU: 2*V100(32GB) | CPU: 16vCPUs 128GB",
        description: "Two NVIDIA V100 GPUs for distributed debugging.",
        arch: "x86_64",
        category: "GPU",
        feature: "NOTEBOOK",
        free: false,
        sold_out: true,
        storages: EVS_EFS,
        vcpus: 16,
        memory_mib: 131072,
        gpu: Some((2, "32GB", "V100")),
        ascend: None,
        billing_code: "modelarts.vm.gpu.v100",
        unit_num: 2,
    },
    Flavor {
        id: "modelarts.vm.gpu.a100",
        name: "GPU: 1*A100(40GB) | CPU: 12vCPUs 96GB",
        description: "NVIDIA A100 GPU flavor for large models.",
        arch: "x86_64",
        category: "GPU",
        feature: "NOTEBOOK",
        free: false,
        sold_out: false,
        storages: EVS_EFS,
        vcpus: 12,
        memory_mib: 98304,
        gpu: Some((1, "40GB", "A100")),
        ascend: None,
        billing_code: "modelarts.vm.gpu.a100",
        unit_num: 1,
    },
    Flavor {
        id: "modelarts.kat1.xlarge",
        name: "Ascend: 1*Ascend910(32GB) | ARM: 24vCPUs 96GB",
        description: "Ascend 910 NPU flavor.",
        arch: "aarch64",
        category: "ASCEND",
        feature: "NOTEBOOK",
        free: false,
        sold_out: false,
        storages: EVS_EFS,
        vcpus: 24,
        memory_mib: 98304,
        gpu: None,
        ascend: Some((1, "32GB", "ASCEND_SNT9", 1)),
        billing_code: "modelarts.kat1.xlarge",
        unit_num: 1,
    },
    Flavor {
        id: "modelarts.kat1.8xlarge",
        name: "Ascend: 8*Ascend910(32GB) | ARM: 192vCPUs 720GB",
        description: "Eight Ascend 910 NPUs.",
        arch: "aarch64",
        category: "ASCEND",
        feature: "NOTEBOOK",
        free: false,
        sold_out: true,
        storages: EVS_EFS,
        vcpus: 192,
        memory_mib: 737280,
        gpu: None,
        ascend: Some((8, "32GB", "ASCEND_SNT9", 8)),
        billing_code: "modelarts.kat1.xlarge",
        unit_num: 8,
    },
    Flavor {
        id: "modelarts.vm.ascend.snt9b",
        name: "Ascend: 1*Ascend910B(64GB) | ARM: 24vCPUs 192GB",
        description: "Ascend 910B NPU flavor.",
        arch: "aarch64",
        category: "ASCEND",
        feature: "NOTEBOOK",
        free: false,
        sold_out: false,
        storages: EVS_EFS,
        vcpus: 24,
        memory_mib: 196608,
        gpu: None,
        ascend: Some((1, "64GB", "ASCEND_SNT9B", 1)),
        billing_code: "modelarts.vm.ascend.snt9b",
        unit_num: 1,
    },
    Flavor {
        id: "modelarts.vm.ascend.snt3",
        name: "Ascend: 1*Ascend310(8GB) | ARM: 3vCPUs 6GB",
        description: "Ascend 310 NPU flavor for inference.",
        arch: "aarch64",
        category: "ASCEND",
        feature: "NOTEBOOK",
        free: false,
        sold_out: false,
        storages: EVS,
        vcpus: 3,
        memory_mib: 6144,
        gpu: None,
        ascend: Some((1, "8GB", "ASCEND_SNT3", 1)),
        billing_code: "modelarts.vm.ascend.snt3",
        unit_num: 1,
    },
];

pub fn flavor(id: &str) -> Option<&'static Flavor> {
    FLAVORS.iter().find(|f| f.id == id)
}

/// Flavors a notebook on `current` may switch to: same category and architecture, supporting the volume's
/// storage, not the current one. Sold-out flavors are listed (flagged) but refused by update.
pub fn switchable(current: &Flavor, storage: &str) -> Vec<&'static Flavor> {
    FLAVORS
        .iter()
        .filter(|f| {
            f.id != current.id
                && f.category == current.category
                && f.arch == current.arch
                && f.storages.contains(&storage)
        })
        .collect()
}

/// A built-in image (notebook-api.md §3.4.12).
#[derive(Debug, Clone)]
pub struct Image {
    pub id: String,
    pub name: &'static str,
    pub description: &'static str,
    pub arch: &'static str,
    pub categories: &'static [&'static str],
    pub dev_services: &'static [&'static str],
    pub swr_repo: &'static str,
    pub tag: &'static str,
    pub size_kb: i64,
    pub create_at: i64,
    pub flavor_type: Option<&'static str>,
}

impl Image {
    pub fn swr_path(&self) -> String {
        format!(
            "swr.cn-north-4.myhuaweicloud.com/atelier/{}:{}",
            self.swr_repo, self.tag
        )
    }

    /// Whether a notebook on this image can run on `f`.
    pub fn supports(&self, f: &Flavor) -> bool {
        self.categories.contains(&f.category) && self.arch == f.image_arch()
    }
}

type ImageRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    i64,
);

const CPU: &[&str] = &["CPU"];
const CPU_GPU: &[&str] = &["CPU", "GPU"];
const GPU: &[&str] = &["GPU"];
const ASC: &[&str] = &["ASCEND"];
const CPU_ARM: &[&str] = &["CPU", "ASCEND"];

// (name, description, arch, categories, swr repo, tag, size in KB)
const IMAGE_ROWS: &[ImageRow] = &[
    ("pytorch1.8-cuda10.2-cudnn7-ubuntu18.04", "CPU and GPU general algorithm development and training, preconfigured with AI engine PyTorch1.8", "X86_64", CPU_GPU, "pytorch_1_8", "pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64-20220926104358-041ba2e", 9_437_184),
    ("pytorch1.10-cuda10.2-cudnn7-ubuntu18.04", "PyTorch 1.10 with CUDA 10.2 for GPU development", "X86_64", CPU_GPU, "pytorch_1_10", "pytorch_1.10.2-cuda_10.2-py_3.7-ubuntu_18.04-x86_64-20221008154718-2b3e39c", 10_485_760),
    ("pytorch1.12-cuda11.3-cudnn8-ubuntu20.04", "PyTorch 1.12 with CUDA 11.3", "X86_64", CPU_GPU, "pytorch_1_12", "pytorch_1.12.1-cuda_11.3-py_3.8-ubuntu_20.04-x86_64-20230308111124-8c1d6a4", 11_534_336),
    ("pytorch2.1-cuda12.1-cudnn8-ubuntu22.04", "PyTorch 2.1 with CUDA 12.1 for A100 and newer", "X86_64", GPU, "pytorch_2_1", "pytorch_2.1.0-cuda_12.1-py_3.10-ubuntu_22.04-x86_64-20240118173012-5e0a7d2", 13_631_488),
    ("pytorch1.8-cpu-ubuntu18.04", "PyTorch 1.8 CPU-only image", "X86_64", CPU, "pytorch_1_8_cpu", "pytorch_1.8.0-py_3.7-ubuntu_18.04-x86_64-20220926104212-b1e77f0", 4_194_304),
    ("tensorflow2.1-cuda10.1-cudnn7-ubuntu18.04", "CPU and GPU general algorithm development and training, preconfigured with AI engine TensorFlow2.1", "X86_64", CPU_GPU, "tensorflow_2_1", "tensorflow_2.1.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64-20221121111529-d65d817", 9_961_472),
    ("tensorflow2.6-cuda11.2-cudnn8-ubuntu18.04", "TensorFlow 2.6 with CUDA 11.2", "X86_64", CPU_GPU, "tensorflow_2_6", "tensorflow_2.6.0-cuda_11.2-py_3.7-ubuntu_18.04-x86_64-20230104093407-1f7b0a1", 10_747_904),
    ("tensorflow1.13-cuda10.0-cudnn7-ubuntu18.04", "TensorFlow 1.13 for legacy models", "X86_64", CPU_GPU, "tensorflow_1_13", "tensorflow_1.13.1-cuda_10.0-py_3.7-ubuntu_18.04-x86_64-20220524162601-3a0e5ba", 8_912_896),
    ("mindspore1.7.0-cuda10.1-py3.7-ubuntu18.04", "MindSpore 1.7 GPU development image", "X86_64", CPU_GPU, "mindspore_1_7_0", "mindspore_1.7.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64-20220702120711-9b5f7d3", 9_175_040),
    ("mindspore1.8.0-cuda11.1-py3.7-ubuntu18.04", "MindSpore 1.8 GPU development image", "X86_64", CPU_GPU, "mindspore_1_8_0", "mindspore_1.8.0-cuda_11.1-py_3.7-ubuntu_18.04-x86_64-20221013102217-0c5d1b8", 9_699_328),
    ("mindspore1.10.0-cann6.0.1-py3.7-euler2.8.3", "MindSpore 1.10 with CANN 6.0.1 for Ascend 910", "AARCH64", ASC, "mindspore_1_10_0-cann_6_0_1", "mindspore_1.10.0-cann_6.0.1-py_3.7-euler_2.8.3-aarch64-d910-20230214144508-62b8e5a", 12_058_624),
    ("mindspore2.2.0-cann7.0.0-py3.9-euler2.10.7", "MindSpore 2.2 with CANN 7.0 for Ascend 910B", "AARCH64", ASC, "mindspore_2_2_0-cann_7_0_0", "mindspore_2.2.0-cann_7.0.0-py_3.9-euler_2.10.7-aarch64-snt9b-20231107190844-e7d3c1f", 14_155_776),
    ("pytorch1.11-cann6.3.rc2-py3.7-euler2.8.3", "PyTorch 1.11 adapted to Ascend with CANN 6.3", "AARCH64", ASC, "pytorch_1_11-cann_6_3_rc2", "pytorch_1.11.0-cann_6.3.rc2-py_3.7-euler_2.8.3-aarch64-d910-20230627160032-4a9c2e6", 12_582_912),
    ("tensorflow1.15-cann6.0.1-py3.7-euler2.8.3", "TensorFlow 1.15 adapted to Ascend with CANN 6.0.1", "AARCH64", ASC, "tensorflow_1_15-cann_6_0_1", "tensorflow_1.15.0-cann_6.0.1-py_3.7-euler_2.8.3-aarch64-d910-20230215105218-7f3b2d9", 11_010_048),
    ("ascend-cann6.3.rc2-snt3-py3.7-ubuntu18.04", "CANN 6.3 inference development for Ascend 310", "AARCH64", ASC, "ascend_cann_6_3_rc2-snt3", "cann_6.3.rc2-py_3.7-ubuntu_18.04-aarch64-snt3-20230801114250-c2a81e0", 6_291_456),
    ("notebook2.0-mul-kernel-cpu-cp36", "Multi-kernel image for CPU (TensorFlow, PyTorch, XGBoost, MXNet)", "X86_64", CPU, "notebook2_0-mul-kernel-cpu-cp36", "2.0.0-20210826151422-c1a49b2", 7_340_032),
    ("notebook2.0-mul-kernel-gpu-cp36", "Multi-kernel image for GPU (TensorFlow, PyTorch, MXNet)", "X86_64", CPU_GPU, "notebook2_0-mul-kernel-gpu-cp36", "2.0.0-20210826151422-88e9f07", 12_845_056),
    ("conda3-ubuntu18.04", "Clean Miniconda 3 image for custom environments", "X86_64", CPU_GPU, "conda3", "conda_3-py_3.7-ubuntu_18.04-x86_64-20220720105024-3bd0ee2", 2_097_152),
    ("conda3-cuda11.1-cudnn8-ubuntu18.04", "Miniconda 3 with CUDA 11.1", "X86_64", GPU, "conda3-cuda11_1", "conda_3-cuda_11.1-py_3.7-ubuntu_18.04-x86_64-20220720105024-9a4e1f7", 6_815_744),
    ("conda3-aarch64-euler2.8.3", "Miniconda 3 for Kunpeng ARM", "AARCH64", CPU_ARM, "conda3-aarch64", "conda_3-py_3.7-euler_2.8.3-aarch64-20220805101533-7e2d0b4", 2_359_296),
    ("mxnet1.8.0-cuda10.2-cudnn7-ubuntu18.04", "MXNet 1.8 GPU development image", "X86_64", CPU_GPU, "mxnet_1_8_0", "mxnet_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64-20220309171209-4b2ac1d", 8_650_752),
    ("xgboost-sklearn-py3.7-ubuntu18.04", "XGBoost and scikit-learn for classical machine learning", "X86_64", CPU, "xgboost-sklearn", "xgboost_1.5.0-sklearn_1.0.2-py_3.7-ubuntu_18.04-x86_64-20220411102014-60b7a1c", 3_145_728),
    ("spark2.4.5-py3.7-ubuntu18.04", "PySpark 2.4.5 for data preparation", "X86_64", CPU, "spark_2_4_5", "spark_2.4.5-py_3.7-ubuntu_18.04-x86_64-20220602110518-d1e9c3f", 5_242_880),
    ("jupyterlab3.4-py3.9-ubuntu20.04", "JupyterLab 3.4 base image", "X86_64", CPU_GPU, "jupyterlab_3_4", "jupyterlab_3.4.8-py_3.9-ubuntu_20.04-x86_64-20221205150301-a58f0e2", 2_621_440),
    ("paddlepaddle2.4-cuda11.2-cudnn8-ubuntu18.04", "PaddlePaddle 2.4 GPU development image", "X86_64", CPU_GPU, "paddlepaddle_2_4", "paddle_2.4.1-cuda_11.2-py_3.7-ubuntu_18.04-x86_64-20230227140923-f0c3a18", 10_223_616),
];

/// The image catalog, built once; ids are stable UUIDs derived from the names.
pub fn images() -> &'static [Image] {
    static IMAGES: OnceLock<Vec<Image>> = OnceLock::new();
    IMAGES.get_or_init(|| {
        IMAGE_ROWS
            .iter()
            .enumerate()
            .map(
                |(i, &(name, description, arch, categories, swr_repo, tag, size_kb))| Image {
                    id: stable_uuid(name),
                    name,
                    description,
                    arch,
                    categories,
                    dev_services: &["NOTEBOOK", "SSH"],
                    swr_repo,
                    tag,
                    size_kb,
                    // Spread creation dates over 2022–2024 so sorting by create_at is meaningful.
                    create_at: 1_641_000_000_000 + (i as i64) * 2_592_000_000,
                    flavor_type: if categories == ASC {
                        Some(if tag.contains("snt9b") {
                            "ASCEND_SNT9B"
                        } else if tag.contains("snt3") {
                            "ASCEND_SNT3"
                        } else {
                            "ASCEND_SNT9"
                        })
                    } else {
                        None
                    },
                },
            )
            .collect()
    })
}

pub fn image(id: &str) -> Option<&'static Image> {
    images().iter().find(|i| i.id == id)
}

pub fn image_by_name(name: &str) -> Option<&'static Image> {
    images().iter().find(|i| i.name == name)
}

/// A version-4-shaped UUID from the SHA-256 of `seed`, so catalog ids never change between runs.
pub fn stable_uuid(seed: &str) -> String {
    let d = Sha256::digest(seed.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    uuid::Builder::from_random_bytes(b).into_uuid().to_string()
}

/// A dedicated resource pool that notebooks can be created in (needed for `custom_spec`).
#[derive(Debug, Clone)]
pub struct Pool {
    pub id: &'static str,
    pub name: &'static str,
    pub category: &'static str,
    pub arch: &'static str,
    /// Node size bounding a custom spec.
    pub node_cpu: f64,
    pub node_memory_mib: i64,
    pub node_gpu: i64,
    pub gpu_type: Option<&'static str>,
}

pub static POOLS: &[Pool] = &[
    Pool {
        id: "pool-cpu-7c2d9e41",
        name: "dedicated-cpu-pool",
        category: "CPU",
        arch: "X86_64",
        node_cpu: 32.0,
        node_memory_mib: 131072,
        node_gpu: 0,
        gpu_type: None,
    },
    Pool {
        id: "pool-gpu-3f8a1b62",
        name: "dedicated-gpu-pool",
        category: "GPU",
        arch: "X86_64",
        node_cpu: 64.0,
        node_memory_mib: 524288,
        node_gpu: 8,
        gpu_type: Some("V100"),
    },
];

pub fn pool(id: &str) -> Option<&'static Pool> {
    POOLS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_consistent() {
        let imgs = images();
        assert!(imgs.len() >= 25, "enough images for paging tests");
        let mut ids: Vec<_> = imgs.iter().map(|i| i.id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), imgs.len());
        for i in imgs {
            assert!(uuid::Uuid::parse_str(&i.id).is_ok());
            assert!(
                i.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c)),
                "{}",
                i.name
            );
            assert!(
                FLAVORS.iter().any(|f| !f.sold_out && i.supports(f)),
                "{} has a usable flavor",
                i.name
            );
        }
        assert_eq!(stable_uuid("x"), stable_uuid("x"));
        assert!(FLAVORS.iter().any(|f| f.sold_out) && FLAVORS.iter().any(|f| f.free));
    }

    #[test]
    fn switchable_stays_in_category_and_arch() {
        let cpu = flavor("modelarts.vm.cpu.2u").unwrap();
        let s: Vec<_> = switchable(cpu, "EVS").iter().map(|f| f.id).collect();
        assert!(s.contains(&"modelarts.vm.cpu.8u") && s.contains(&"modelarts.vm.cpu.free"));
        assert!(!s.contains(&"modelarts.vm.cpu.2u") && !s.contains(&"modelarts.vm.cpu.arm.4u"));
        assert!(!s.contains(&"modelarts.vm.gpu.t4"));
        let efs: Vec<_> = switchable(cpu, "EFS").iter().map(|f| f.id).collect();
        assert!(!efs.contains(&"modelarts.vm.cpu.free"));
    }
}
