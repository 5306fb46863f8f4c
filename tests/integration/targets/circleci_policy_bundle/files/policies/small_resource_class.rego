package org

policy_name["small_resource_class"]

enable_rule["small_resource_class"]
