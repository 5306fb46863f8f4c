package org

policy_name["use_official_images"]

enable_rule["use_official_images"]
